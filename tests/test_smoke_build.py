"""A first end-to-end build through the fixture: one article lands on its unit's page and its ancestors'."""

from conftest import article


def test_article_rolls_up_to_ancestor_units(build_site):
    site = build_site({"articles/2022/hoi-nghi.md": article(units=["dang-uy-xa-tan-khai"])})
    assert site.outcome.ok, site.outcome.errors
    for unit in ("dang-uy-xa-tan-khai", "huyen-uy-hon-quan", "tinh-uy"):
        links = [a["href"] for a in site.html(f"don-vi/{unit}/").select("ol.article-list a")]
        assert "/2022/04/hoi-nghi/" in links
    assert "/2022/04/hoi-nghi/" not in [a["href"] for a in site.html("don-vi/dang-uy-khoi/").select("ol.article-list a")]
