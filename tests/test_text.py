"""Vietnamese text helpers: tone placement, folding, slugs, lookup keys and collation, as input -> expected tables."""

import random
import unicodedata

import pytest

from pelican.plugins.bulletin.text import canon, fold, lookup_key, nfc, slugify, sort_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(("given", "expected"), [
    # open oa / oe / uy syllables: the tone goes on the first vowel
    ("hoà", "hòa"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"), ("Uỷ", "Ủy"), ("uỷ ban", "ủy ban"),
    ("xoá", "xóa"), ("tuỳ", "tùy"), ("nguỵ", "ngụy"), ("Thuý", "Thúy"), ("loè", "lòe"), ("oà", "òa"),
    # upper case keeps its case
    ("HOÀ", "HÒA"), ("UỶ BAN", "ỦY BAN"), ("Hoà Bình", "Hòa Bình"), ("Huyện Uỷ", "Huyện Ủy"),
    # already canonical: unchanged
    ("hòa", "hòa"), ("khỏe", "khỏe"), ("thủy", "thủy"), ("Ủy", "Ủy"),
    # after qu- the tone stays on the second vowel
    ("quý", "quý"), ("quả", "quả"), ("quỳ", "quỳ"), ("Quỳnh", "Quỳnh"), ("QUÝ", "QUÝ"),
    # closed syllables and other vowel groups are not this pattern
    ("hoàng", "hoàng"), ("huỳnh", "huỳnh"), ("khuỷu", "khuỷu"), ("hoài", "hoài"), ("thuở", "thuở"), ("khuya", "khuya"),
    # whole phrases, punctuation kept
    ("Ban Thường vụ Huyện uỷ, Uỷ ban nhân dân.", "Ban Thường vụ Huyện ủy, Ủy ban nhân dân."),
])
def test_canon_places_the_tone_once(given, expected):
    assert canon(given) == expected


@pytest.mark.parametrize("given", ["Huyện uỷ Hớn Quản", "hoà bình", "khoẻ mạnh", "thuỷ lợi", "quý"])
def test_canon_reads_nfd_input_and_returns_nfc(given):
    result = canon(nfd(given))
    assert result == canon(given)
    assert unicodedata.is_normalized("NFC", result)


def test_nfc_composes():
    assert nfc(nfd("Đảng ủy")) == "Đảng ủy"
    assert len(nfc(nfd("ủy"))) == 2


@pytest.mark.parametrize(("given", "expected"), [
    ("Đảng ủy", "dang uy"),
    ("đồng chí", "dong chi"),
    ("Huyện Uỷ Hớn Quản", "huyen uy hon quan"),
    ("ĂÂÊÔƠƯĐ", "aaeooud"),
    ("Thứ Hai", "thu hai"),
    (nfd("Hưng Hùng"), "hung hung"),
    ("2020–2025", "2020–2025"),
    ("\u00d0ảng ủy", "dang uy"),  # Ð (eth), the look-alike of Đ
])
def test_fold_drops_every_mark(given, expected):
    assert fold(given) == expected


@pytest.mark.parametrize(("given", "expected"), [
    ("Huyện ủy Hớn Quản", "huyen-uy-hon-quan"),
    ("Đảng ủy Khối các cơ quan tỉnh", "dang-uy-khoi-cac-co-quan-tinh"),
    ("  Hội nghị — lần 2: quy hoạch cán bộ!  ", "hoi-nghi-lan-2-quy-hoach-can-bo"),
    (nfd("Đồng chí Nguyễn Văn Hưng"), "dong-chi-nguyen-van-hung"),
    ("Nhiệm kỳ 2020–2025", "nhiem-ky-2020-2025"),
    ("!!!", ""),
])
def test_slugify_is_ascii(given, expected):
    slug = slugify(given)
    assert slug == expected
    assert slug.isascii()


@pytest.mark.parametrize(("one", "other"), [
    ("Huyện uỷ Hớn Quản", "huyện ủy hớn quản"),
    ("  Huyện  ủy\tHớn Quản ", "Huyện ủy Hớn Quản"),
    (nfd("Uỷ ban"), "Ủy ban"),
    ("HOÀ BÌNH", "hòa bình"),
    ("\u00d0ảng ủy xã", "Đảng ủy xã"),
])
def test_lookup_key_equal_for_spellings_of_one_name(one, other):
    assert lookup_key(one) == lookup_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("Chi bộ ấp Hùng", "Chi bộ ấp Hưng"),
    ("Huyện ủy", "Huyen uy"),
    ("quý", "quy"),
    ("Đảng", "Dang"),
])
def test_lookup_key_keeps_different_names_apart(one, other):
    assert lookup_key(one) != lookup_key(other)


ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n",
            "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y"]


def shuffled(items, seed=7):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


@pytest.mark.parametrize("expected", [
    ALPHABET,
    [letter.upper() for letter in ALPHABET],
    # tones after the base letter, in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng
    ["ba", "bà", "bả", "bã", "bá", "bạ", "bác"],
    ["Hung", "Hùng", "Hưng", "Hứng"],
    ["Anh", "Ăn", "Ấp", "Ban", "Dân vận", "Dương", "Dzung", "Đảng ủy", "Đoàn", "Em", "Ê"],
    ["Chi bộ ấp Hùng", "Chi bộ ấp Hưng", "Đảng ủy xã Tân Khai", "Huyện ủy Hớn Quản", "Tỉnh ủy Bình Phước"],
    ["Ban", "Bàn", "Bàn giao", "Ban Tổ chức"],  # a name before its longer forms
    # numbers by value, before letters
    ["Chi bộ ấp", "Chi bộ ấp 1", "Chi bộ ấp 2", "Chi bộ ấp 2a", "Chi bộ ấp 10", "Chi bộ ấp 21", "Chi bộ ấp A"],
    ["Khu phố 9", "Khu phố 010", "Khu phố 100"],
])
def test_sort_key_vietnamese_order(expected):
    for seed in range(3):
        assert sorted(shuffled(expected, seed), key=sort_key) == expected


def test_dang_sorts_after_every_d_word():
    words = ["Dương", "Dzung", "Dân", "Dũng", "Dưỡng", "Dy"]
    assert sorted(words + ["Đảng"], key=sort_key)[-1] == "Đảng"
    assert sorted(words + ["Đa"], key=sort_key)[-1] == "Đa"
    assert sorted(["Đảng", "E"], key=sort_key) == ["Đảng", "E"]


def test_sort_key_ignores_tone_placement_and_normal_form():
    assert sort_key("Hoà") == sort_key("Hòa")
    assert sort_key(nfd("Huyện ủy")) == sort_key("Huyện ủy")
    assert sort_key("Hùng") != sort_key("Hưng")
