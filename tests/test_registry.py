"""The unit registry: tree, lookups by code, name, alias and tone placement, suggestions, errors with lines."""

import textwrap

import pytest

from conftest import UNITS_YML
from pelican.plugins.bulletin.registry import load_registry


def load(tmp_path, text):
    path = tmp_path / "units.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_registry(str(path), "content/units.yml")


@pytest.fixture
def registry(tmp_path):
    registry, errors = load(tmp_path, UNITS_YML)
    assert errors == []
    return registry


def codes(units):
    return [u.code for u in units]


def test_tree_has_roots_children_and_depths(registry):
    assert registry.roots == ("tinh-uy",)
    assert set(registry.units) == {"tinh-uy", "huyen-uy-hon-quan", "dang-uy-xa-tan-khai", "chi-bo-hung",
                                   "chi-bo-hung-2", "dang-uy-khoi", "ban-to-chuc"}
    top = registry.get("tinh-uy")
    assert (top.parent, top.depth, top.short_name, top.label) == (None, 0, "Tỉnh ủy", "Tỉnh ủy")
    district = registry.get("huyen-uy-hon-quan")
    assert (district.parent, district.depth, district.label) == ("tinh-uy", 1, "Huyện ủy Hớn Quản")
    assert registry.get("chi-bo-hung").depth == 2
    assert district.aliases == ("HU Hớn Quản",)


def test_children_in_vietnamese_order(registry):
    # Ban < Đảng ủy < Huyện ủy (đ after every d, and after b)
    assert registry.get("tinh-uy").children == ("ban-to-chuc", "dang-uy-khoi", "huyen-uy-hon-quan")
    # Chi bộ ấp Hùng < Chi bộ ấp Hưng < Đảng ủy xã Tân Khai
    assert registry.get("huyen-uy-hon-quan").children == ("chi-bo-hung", "chi-bo-hung-2", "dang-uy-xa-tan-khai")


def test_walk_is_depth_first_in_vietnamese_order(registry):
    assert codes(registry.walk()) == ["tinh-uy", "ban-to-chuc", "dang-uy-khoi", "huyen-uy-hon-quan",
                                      "chi-bo-hung", "chi-bo-hung-2", "dang-uy-xa-tan-khai"]


def test_ancestors_root_first(registry):
    assert codes(registry.ancestors("dang-uy-xa-tan-khai")) == ["tinh-uy", "huyen-uy-hon-quan"]
    assert codes(registry.ancestors("huyen-uy-hon-quan")) == ["tinh-uy"]
    assert registry.ancestors("tinh-uy") == []


def test_descendants_include_the_unit(registry):
    assert codes(registry.descendants("huyen-uy-hon-quan")) == ["huyen-uy-hon-quan", "chi-bo-hung", "chi-bo-hung-2",
                                                                "dang-uy-xa-tan-khai"]
    assert codes(registry.descendants("ban-to-chuc")) == ["ban-to-chuc"]
    assert len(registry.descendants("tinh-uy")) == 7


@pytest.mark.parametrize(("text", "code"), [
    ("huyen-uy-hon-quan", "huyen-uy-hon-quan"),  # code
    ("Huyện ủy Hớn Quản", "huyen-uy-hon-quan"),  # name
    ("Huyện uỷ Hớn Quản", "huyen-uy-hon-quan"),  # other tone placement
    ("HUYỆN ỦY HỚN QUẢN", "huyen-uy-hon-quan"),  # case
    ("  Huyện   ủy Hớn  Quản ", "huyen-uy-hon-quan"),  # spaces
    ("Huye\u0323\u0302n u\u0309y Ho\u031b\u0301n Qua\u0309n", "huyen-uy-hon-quan"),  # NFD
    ("HU Hớn Quản", "huyen-uy-hon-quan"),  # alias
    ("hu hớn quản", "huyen-uy-hon-quan"),
    ("ĐUK các cơ quan tỉnh", "dang-uy-khoi"),
    ("\u00d0UK các cơ quan tỉnh", "dang-uy-khoi"),  # Ð (eth) typed for Đ
    ("TU Bình Phước", "tinh-uy"),
    ("Chi bộ ấp Hùng", "chi-bo-hung"),
    ("Chi bộ ấp Hưng", "chi-bo-hung-2"),
])
def test_resolve(registry, text, code):
    assert registry.resolve(text).code == code


@pytest.mark.parametrize("text", ["Huyen uy Hon Quan", "Chi bo ap Hung", "Chi bộ ấp Hừng", "Đảng ủy", "", "tinh uy"])
def test_resolve_never_guesses(registry, text):
    assert registry.resolve(text) is None


@pytest.mark.parametrize(("text", "first"), [
    ("Huyen uy Hon Quan", "huyen-uy-hon-quan"),
    ("huyen uy hon quan", "huyen-uy-hon-quan"),
    ("Huyện ủy Hớn Quãn", "huyen-uy-hon-quan"),  # wrong tone
    ("Ban To chuc Tinh uy", "ban-to-chuc"),
    ("Dang uy xa Tan Khai", "dang-uy-xa-tan-khai"),
])
def test_suggest_for_unaccented_or_misspelt_names(registry, text, first):
    assert codes(registry.suggest(text))[0] == first


def test_suggest_offers_both_units_that_differ_only_by_tone(registry):
    assert codes(registry.suggest("Chi bo ap Hung")) == ["chi-bo-hung", "chi-bo-hung-2"]


def test_suggest_nothing_for_unrelated_text(registry):
    assert registry.suggest("Sở Tài nguyên và Môi trường") == []
    assert registry.suggest("Mặt trận Tổ quốc") == []


def test_units_differing_by_tone_stay_distinct(registry):
    hung, hung2 = registry.get("chi-bo-hung"), registry.get("chi-bo-hung-2")
    assert hung != hung2
    assert (hung.name, hung2.name) == ("Chi bộ ấp Hùng", "Chi bộ ấp Hưng")


def test_short_name_finds_its_unit_when_unique(registry):
    assert registry.resolve("Tỉnh ủy").code == "tinh-uy"


BROKEN = """\
    - code: goc
      name: Đơn vị gốc
      aliases: [Tên chung]
      children:
        - code: goc
          name: Trùng mã
        - code: Ma_Sai
          name: Mã sai
        - code: don-vi-c
          name: Đơn vị C
          colour: đỏ
        - code: don-vi-d
          aliases: [Tên D]
        - code: don-vi-e
          name: Đơn vị E
          aliases: [tên chung]
        - code: don-vi-f
          name: Đơn vị gốc
        - name: Không mã
    """


def test_errors_name_the_line(tmp_path):
    registry, errors = load(tmp_path, BROKEN)
    found = {(e.line, e.message.split(" — ")[0]) for e in errors}
    assert found == {
        (5, 'mã đơn vị "goc" bị trùng'),
        (7, 'mã đơn vị "Ma_Sai" chỉ được gồm chữ thường không dấu, số và dấu gạch nối (ví dụ huyen-uy-hon-quan)'),
        (11, 'khóa "colour" không dùng được cho đơn vị'),
        (12, 'đơn vị thiếu khóa "name"'),
        (16, 'tên "tên chung" đã dùng cho đơn vị "goc"'),
        (18, 'tên "Đơn vị gốc" đã dùng cho đơn vị "goc"'),
        (19, 'đơn vị thiếu khóa "code"'),
    }
    assert all(e.path == "content/units.yml" for e in errors)
    # the good units are still there, and a claimed alias stays with its first owner
    assert registry.resolve("Tên chung").code == "goc"
    assert "don-vi-c" in registry.units and "Ma_Sai" not in registry.units


@pytest.mark.parametrize(("text", "line", "words"), [
    ("", 1, "phải là một danh sách"),
    ("code: a\nname: b\n", 1, "phải là một danh sách"),
    ('- code: a\n  name: "Đơn vị\n', 2, "ngoặc kép"),
    ("- code: a\n\tname: b\n", 2, "Tab"),
    ("- code: a\n  name: b\n  children: c\n", 3, '"children" phải là danh sách'),
    ("- code: a\n  name: [b, c]\n", 2, '"name" phải là một chuỗi chữ'),
    ("- chỉ là chữ\n", 1, "mỗi đơn vị phải có dạng"),
    ("- code: a\n  name: b\n  aliases: [Tên A\n", 3, "dấu ] đóng"),
    ("- code: a\n  name: b\n  children: [\n", 3, "dấu ] (hay }) đóng"),
])
def test_malformed_files(tmp_path, text, line, words):
    _registry, errors = load(tmp_path, text)
    assert [e.line for e in errors] == [line]
    assert words in errors[0].message


def test_missing_file(tmp_path):
    registry, errors = load_registry(str(tmp_path / "none.yml"), "content/units.yml")
    assert registry.units == {}
    assert [(e.path, e.line) for e in errors] == [("content/units.yml", 1)]
    assert "không tìm thấy" in errors[0].message


def test_several_roots_in_vietnamese_order(tmp_path):
    registry, errors = load(tmp_path, """\
        - code: uy-ban
          name: Ủy ban Kiểm tra
        - code: dang-uy
          name: Đảng ủy Khối
        - code: ban
          name: Ban Tổ chức
          children:
            - code: chi-bo-10
              name: Chi bộ 10
            - code: chi-bo-2
              name: Chi bộ 2
        """)
    assert errors == []
    assert registry.roots == ("ban", "dang-uy", "uy-ban")
    assert codes(registry.walk()) == ["ban", "chi-bo-2", "chi-bo-10", "dang-uy", "uy-ban"]
