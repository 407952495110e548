"""The web editor's configuration (cms.py): generated from the schema and the registry, written only when configured."""

from __future__ import annotations

import json
import re
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, article, write_content
from pelican.plugins.bulletin import build as builder
from pelican.plugins.bulletin import cms, publish, schema
from pelican.plugins.bulletin.finishers import FINISHERS
from pelican.plugins.bulletin.registry import load_registry
from pelican.plugins.bulletin.schema import Context

LOCAL = {"backend": "local", "url": "http://127.0.0.1:45678/api/v1", "branch": "main", "folder": "content"}
GITHUB_ENV = {"CMS_BACKEND": "github", "CMS_REPO": "van-phong/ban-tin", "CMS_AUTH_URL": "https://dang-nhap.example.org"}


# ---------------------------------------------------------------- the form follows the schema


@pytest.mark.parametrize("kind", ["article", "page"])
def test_every_front_matter_key_is_a_field_in_schema_order(kind):
    fields = cms.form_fields(kind)
    assert [f["name"] for f in fields] == list(schema.FIELDS[kind]) + ["body"]
    for field in fields:
        assert field["required"] == (field["name"] in schema.REQUIRED[kind] or field["name"] == "body"), field
        assert re.search(r"[ạ-ỹà-ừ]", field["label"] + field.get("hint", ""), re.I), field  # Vietnamese words
        assert field.get("hint"), f"{field['name']} has no hint"


def test_the_form_table_and_the_schema_have_the_same_keys():
    assert list(cms.FORM) == list(schema.ARTICLE_FIELDS)
    assert set(cms.PAGE_FORM) == set(schema.PAGE_FIELDS)


def test_a_schema_key_without_a_form_field_stops_the_build(monkeypatch):
    monkeypatch.setitem(schema.FIELDS, "article", {**schema.ARTICLE_FIELDS, "subtitle": schema.parse_text})
    with pytest.raises(cms.EditorError, match="subtitle"):
        cms.form_fields("article")


def test_fields_check_what_the_schema_checks():
    fields = {f["name"]: f for f in cms.form_fields("article")}
    slug = re.compile(fields["slug"]["pattern"][0])
    assert slug.match("hoi-nghi-can-bo") and not slug.match("../tasks") and not slug.match("Hội nghị")
    title = re.compile(fields["title"]["pattern"][0])
    assert title.match("Hội nghị") and not title.match("x" * 301)
    assert all(title.match(t) for t in ("Đ", "ủy", "2025", "“Ước mơ” — 2025!", "Ưu tiên"))
    assert not any(title.match(t) for t in ("!!! ??? …", "🎉🎉", "— “” —", ""))  # no file name to make
    assert [o["value"] for o in fields["status"]["options"]] == list(schema.STATUSES)
    assert fields["image"]["choose_url"] is False  # only photos of the site itself
    assert fields["body"]["sanitize_preview"] is True


def test_new_articles_go_to_their_own_year_and_photos_beside_them():
    articles = cms.collections("content")[0]
    assert articles["folder"] == "content/articles"
    assert articles["path"] == cms.YEAR + "/{{slug}}"
    assert articles["media_folder"] == "/content/images/" + cms.YEAR
    assert articles["public_folder"] == "images/" + cms.YEAR
    assert articles["delete"] is False  # taking an article off the site goes through approval (status: draft)


# ---------------------------------------------------------------- backends


def test_backends():
    assert cms.backend_config(LOCAL) == {"name": "proxy", "proxy_url": LOCAL["url"], "branch": "main"}
    github = cms.backend_config({"backend": "github", "repo": "a/b", "auth_url": "https://auth.example.org"})
    assert github == {"name": "github", "repo": "a/b", "branch": "main", "base_url": "https://auth.example.org"}
    forgejo = cms.backend_config({"backend": "gitea", "repo": "a/b", "api_root": "https://git.example.org/api/v1/",
                                  "app_id": "abc", "branch": "xuat-ban"})
    assert forgejo == {"name": "forgejo", "repo": "a/b", "branch": "xuat-ban", "api_root": "https://git.example.org/api/v1",
                       "app_id": "abc"}
    config = cms.decap_config(LOCAL)
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "vi"
    assert all("“" in message for message in config["backend"]["commit_messages"].values())


@pytest.mark.parametrize("editor, named", [
    ({"backend": "github", "repo": "a/b"}, "CMS_AUTH_URL"),
    ({"backend": "forgejo", "repo": "a/b", "api_root": "https://git.example.org/api/v1"}, "CMS_APP_ID"),
    ({"backend": "gitlab", "repo": "a/b"}, "github, forgejo hoặc gitea"),
])
def test_an_incomplete_backend_says_what_to_set(editor, named):
    with pytest.raises(cms.EditorError, match=named):
        cms.backend_config(editor)


def test_the_editor_page_policy_names_only_itself_and_the_backend():
    local = cms.csp(LOCAL)
    assert "connect-src 'self' blob: http://127.0.0.1:45678;" in local
    github = cms.csp({"backend": "github", "repo": "a/b", "auth_url": "https://auth.example.org"})
    assert "connect-src 'self' blob: https://api.github.com;" in github
    assert "script-src 'self' 'unsafe-eval';" in github and "'unsafe-inline'" not in github.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in github and "form-action 'none'" in github
    forgejo = cms.csp({"backend": "forgejo", "repo": "a/b", "api_root": "https://git.example.org/api/v1", "app_id": "x"})
    assert "connect-src 'self' blob: https://git.example.org;" in forgejo


# ---------------------------------------------------------------- the build writes /quan-tri/ only when configured

FILES = {
    "articles/2022/a.md": article(title="Bài A", date="04/04/2022", units=("huyen-uy-hon-quan",), terms=["2020 - 2025"],
                                  tags=["quy hoạch cán bộ", "Đại hội"]),
    "articles/2023/b.md": article(title="Bài B", date="05/05/2023", units=("dang-uy-xa-tan-khai",), terms=["nhiệm kỳ 2025–2030"],
                                  tags=["đại hội"]),
}


def test_a_local_build_has_no_editor_unless_asked(build_site):
    site = build_site(FILES)
    assert site.outcome.ok, site.outcome.errors
    assert not (site.output / "quan-tri").exists()


def test_the_preview_writes_the_editor_from_the_registry_and_content(build_site):
    site = build_site(FILES, settings={"BULLETIN_EDITOR": LOCAL}, finishers=(cms.write_editor,))
    assert site.outcome.ok, site.outcome.errors
    admin = site.output / "quan-tri"
    payload = json.loads((admin / "config.json").read_text(encoding="utf-8"))
    registry, _ = load_registry(str(site.content / "units.yml"))
    units = payload["bulletin"]["units"]
    assert [u["code"] for u in units] == [u.code for u in registry.walk()]  # every unit, the tree's order
    assert {u["code"]: u["depth"] for u in units}["dang-uy-xa-tan-khai"] == 2
    assert payload["bulletin"]["terms"] == [{"code": "2020-2025", "label": "2020–2025"}, {"code": "2025-2030", "label": "2025–2030"}]
    assert payload["bulletin"]["tags"] == ["Đại hội", "quy hoạch cán bộ"]  # one spelling of each, Vietnamese order
    assert payload["bulletin"]["check"] == cms.CHECK_PATH
    assert payload["bulletin"]["site"]["css"] == "../theme/css/style.css" and (site.output / "theme/css/style.css").is_file()
    assert payload["decap"]["backend"]["proxy_url"] == LOCAL["url"]
    for name in ("decap-cms.js", "js-yaml.min.js", *cms.ADMIN_FILES):
        assert (admin / name).is_file(), name
    page = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "vi"
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert policy == cms.csp(LOCAL)
    scripts = [s["src"].split("?")[0] for s in page.find_all("script")]
    assert scripts == ["boot.js", "decap-cms.js", "js-yaml.min.js", "locale-vi.js", "admin.js"]
    assert not any(s.string for s in page.find_all("script"))  # no inline code


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A public build with the GitHub editor configured from the environment."""
    root = tmp_path_factory.mktemp("xuat-ban")
    write_content(root / "content", FILES)
    overrides = {"THEME": str(ROOT / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")]}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GITHUB_ENV, "SITEURL": "https://example.org/ban-tin"}.items():
            patch.setenv(key, value)
        outcome = builder.build(str(ROOT / "publishconf.py"), str(root / "content"), str(root / "output"), overrides,
                                FINISHERS)
    assert outcome.ok, outcome.errors
    return root / "output"


def test_production_has_the_editor_with_its_own_policy(production):
    admin = production / "quan-tri" / "index.html"
    page = BeautifulSoup(admin.read_text(encoding="utf-8"), "html.parser")
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "connect-src 'self' blob: https://api.github.com" in policy and policy != publish.CSP_META
    config = json.loads((production / "quan-tri" / "config.json").read_text(encoding="utf-8"))
    assert config["decap"]["backend"]["name"] == "github" and config["decap"]["backend"]["repo"] == "van-phong/ban-tin"
    assert config["bulletin"]["check"] == ""  # no preview server behind a static site
    assert re.fullmatch(r"\.\./theme/css/style\.[0-9a-f]+\.css", config["bulletin"]["site"]["css"])  # the hashed name
    assert (production / config["bulletin"]["site"]["css"][3:]).is_file()
    assert (production / "quan-tri" / "decap-cms.js.br").is_file()  # compressed like the rest


def test_reader_pages_keep_their_own_policy(production):
    reader = BeautifulSoup((production / "index.html").read_text(encoding="utf-8"), "html.parser")
    policy = reader.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert policy == "; ".join(f"{k} {v}" for k, v in publish.CSP.items())
    assert "quan-tri" not in (production / "sitemap.xml").read_text(encoding="utf-8")


def test_production_without_a_backend_has_no_editor(build_site, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://example.org")
    for key in GITHUB_ENV:
        monkeypatch.delenv(key, raising=False)
    site = build_site(FILES, conf="publishconf.py", finishers=FINISHERS)
    assert site.outcome.ok, site.outcome.errors
    assert not (site.output / "quan-tri").exists()


def test_an_incomplete_production_editor_stops_the_build(build_site, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://example.org")
    monkeypatch.setenv("CMS_BACKEND", "forgejo")
    monkeypatch.setenv("CMS_REPO", "a/b")
    site = build_site(FILES, conf="publishconf.py", finishers=FINISHERS)
    assert not site.outcome.ok
    assert any("CMS_API_ROOT" in e for e in site.outcome.errors), site.outcome.errors


# ---------------------------------------------------------------- the preview pane's check


@pytest.fixture
def context(registry_content):
    registry, errors = load_registry(str(registry_content / "units.yml"), "content/units.yml")
    assert not errors
    return Context(registry=registry, zone=ZoneInfo("Asia/Ho_Chi_Minh"), content_dir=str(registry_content))


def entry(**data):
    return {"title": "Hội nghị", "date": "2022-04-13 08:30", "units": ["huyen-uy-hon-quan"], "body": "Nội dung.", **data}


def test_a_good_entry_has_no_problem(context):
    assert cms.check_entry(entry(terms=["2020-2025"], tags=["đại hội"]), "article", "content/articles/2022/x.md", context) == []


def test_problems_are_named_by_their_field(context):
    problems = cms.check_entry(entry(units=["huyen-uy-hon-quan", "Huyen uy Loc Ninh"], terms=["2025"],
                                     body="Mở đầu.\n\n<script>alert(1)</script>\n"), "article", "content/articles/2022/x.md", context)
    by_field = {p["field"]: p for p in problems}
    assert by_field["units"]["label"] == "Đơn vị" and "Huyen uy Loc Ninh" in by_field["units"]["message"]
    assert by_field["terms"]["label"] == "Nhiệm kỳ" and by_field["terms"]["level"] == "error"
    assert by_field["body"]["label"] == "Nội dung" and "<script>" in by_field["body"]["message"]
    assert by_field["body"]["level"] == "warning"


def test_a_photo_added_in_this_session_is_not_reported_missing(context):
    body = "![Hội trường](images/2022/moi.jpg \"Hội trường.\")"
    missing = cms.check_entry(entry(body=body, image="images/2022/moi.jpg"), "article", "content/articles/2022/x.md", context)
    assert {p["field"] for p in missing} == {"image", "body"}
    pending = cms.check_entry(entry(body=body, image="images/2022/moi.jpg"), "article", "content/articles/2022/x.md", context,
                              pending=("images/2022/moi.jpg",))
    assert pending == []


def test_empty_fields_are_left_to_the_form(context):
    """The form asks for a required field itself (in Vietnamese, at the field); the check does not repeat it."""
    problems = cms.check_entry({"date": "2022-04-13", "body": "  \n"}, "article", "content/articles/2022/x.md", context)
    assert problems == []


def test_messages_name_fields_by_their_labels(context):
    problems = cms.check_entry(entry(image_caption="Hội trường."), "article", "content/articles/2022/x.md", context)
    assert [p["message"] for p in problems] == ["“Chú thích ảnh đại diện” cần đi kèm “Ảnh đại diện” (đường dẫn ảnh)"]
