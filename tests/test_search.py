"""The search page in Debian's Chromium: Vietnamese matching, filters, URL sync, safety, no-JS fallback, phones.

One small site is built (a real Pelican build with the search index finisher) and served for the whole module.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from conftest import article, build_into, serve_folder, stop_serving, write_content
from pelican.plugins.bulletin import searchindex

pytestmark = pytest.mark.browser

ARTICLES = {
    # Đ/đ and tone-marked words, unit at the middle level
    "articles/2022/duk-hop.md": article(
        title="Đảng ủy Khối họp bàn công tác tháng Tư", date="04/04/2022", units=["dang-uy-khoi"], terms=["2020-2025"],
        body="Đảng ủy Khối các cơ quan tỉnh họp dưới sự chủ trì của đồng chí Bí thư. Đảng ủy thống nhất kế hoạch "
             "xây dựng Đảng, củng cố tổ chức cơ sở Đảng và giáo dục đảng viên theo Điều lệ Đảng. Các tổ chức Đảng "
             "trực thuộc Đảng ủy Khối báo cáo việc học tập văn kiện của Đảng."),
    # only "đang", never "Đảng"
    "articles/2023/cong-trinh.md": article(
        title="Công trình nhà văn hóa xã", date="10/03/2023", units=["dang-uy-xa-tan-khai"], terms=["2020-2025"],
        body="Công trình nhà văn hóa xã khởi công từ tháng Giêng, gồm hội trường và thư viện; nay công trình "
             "đang lợp mái, dự kiến bàn giao vào cuối năm."),
    # the new tone placement: hoà, uỷ, khoẻ, thuỷ
    "articles/2024/hoa-giai.md": article(
        title="Tổ hoà giải ấp Hùng", date="15/05/2024", units=["chi-bo-hung"], terms=["2020-2025"],
        body="Tổ hoà giải giúp bà con giữ sức khoẻ tinh thần; Uỷ ban xã hỗ trợ kênh thuỷ lợi."),
    # the old tone placement: hòa, ủy, khỏe, thủy
    "articles/2025/thu-loi.md": article(
        title="Kênh thủy lợi ấp Hưng", date="20/06/2025", units=["chi-bo-hung-2"], terms=["2025-2030"],
        body="Người dân ấp Hưng sống hòa thuận, khỏe mạnh; Ủy ban Mặt trận vận động làm kênh thủy lợi."),
    # the exact phrase
    "articles/2025/quy-hoach.md": article(
        title="Ban Tổ chức hướng dẫn công tác", date="02/09/2025", units=["ban-to-chuc"], terms=["2025-2030"],
        body="Văn bản hướng dẫn rà soát quy hoạch cán bộ giai đoạn mới."),
    # the same words, not as a phrase
    "articles/2025/can-bo.md": article(
        title="Hội nghị cán bộ chủ chốt", date="12/10/2025", units=["huyen-uy-hon-quan"], terms=["2025-2030"],
        body="Cán bộ chủ chốt góp ý vào quy hoạch vùng của huyện."),
    # written in NFD
    "articles/2026/nfd.md": unicodedata.normalize("NFD", article(
        title="Sinh hoạt chuyên đề ở Chi bộ ấp Hùng", date="05/01/2026", units=["chi-bo-hung"], terms=["2025-2030"],
        body="Chi bộ sinh hoạt chuyên đề về học tập và làm theo gương Bác, giữ gìn khối đoàn kết.")),
}

# eleven weekly round-ups, enough for a second page of results
ARTICLES.update({
    f"articles/2021/diem-tin-{i}.md": article(
        title=f"Điểm tin tuần số {i}", date=f"{i:02d}/02/2021", units=["ban-to-chuc"], terms=["2020-2025"],
        body=f"Điểm tin tuần số {i} gồm tin ngắn của cơ quan.")
    for i in range(1, 12)
})

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """Build the test site with the search finisher and serve it on 127.0.0.1."""
    root = tmp_path_factory.mktemp("search-site")
    write_content(root / "content", ARTICLES)
    outcome = build_into(root / "content", root / "output", finishers=(searchindex.build_index,))
    assert outcome.ok, outcome.errors
    server, url = serve_folder(root / "output")
    yield url
    stop_serving(server)


def wait_done(page) -> str:
    """Wait until the status region reports an outcome; return its text."""
    page.wait_for_function(
        """() => { const s = document.querySelector('#search-results [role=status]');
                   return s && /Tìm thấy|Không tìm thấy/.test(s.textContent)
                          && !document.querySelector('[data-search-list][aria-busy]'); }""")
    return page.inner_text("#search-results [role=status]")


def open_search(page, base: str, **params) -> list[str]:
    """Open /tim-kiem/ with URL parameters; return the result paths in order."""
    page.goto(f"{base}/tim-kiem/?{urlencode(params)}")
    wait_done(page)
    return result_paths(page)


def result_paths(page) -> list[str]:
    """Return the paths the result titles link to, in order."""
    hrefs = page.eval_on_selector_all("#search-results ol > li h3 a", "links => links.map(a => a.getAttribute('href'))")
    return [urlsplit(h).path for h in hrefs]


def type_query(page, text: str) -> str:
    """Type into the search box as a reader would and wait for the results."""
    page.fill("#tu-khoa", "")
    page.type("#tu-khoa", text)
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=text.strip())
    return wait_done(page)


DUK = "/2022/04/duk-hop/"
DANG = "/2023/03/cong-trinh/"
HOA_NEW = "/2024/05/hoa-giai/"
HOA_OLD = "/2025/06/thu-loi/"
PHRASE = "/2025/09/quy-hoach/"
WORDS = "/2025/10/can-bo/"
NFD = "/2026/01/nfd/"


def test_unaccented_query_finds_d_with_stroke(page, site_url):
    assert open_search(page, site_url, q="dang uy khoi")[0] == DUK
    assert DUK in open_search(page, site_url, q="dong chi")
    # the title and the excerpt show đ again, with the matched words marked
    title = page.inner_text(f'#search-results li:has(a[href$="{DUK}"]) h3')
    assert title == "Đảng ủy Khối họp bàn công tác tháng Tư"
    marks = page.eval_on_selector_all(f'#search-results li:has(a[href$="{DUK}"]) .search-result-excerpt mark',
                                      "ms => ms.map(m => m.textContent)")
    assert any(m.startswith("đồng") for m in marks)
    assert open_search(page, site_url, q="ÐẢNG ỦY KHỐI")[0] == DUK  # capitals, and eth typed for Đ
    assert open_search(page, site_url, q="ðang")[0] == DANG  # eth is đ, so the exact spelling "đang" comes first


def test_exact_spelling_ranks_first(page, site_url):
    found = open_search(page, site_url, q="Đảng")
    assert DUK in found and DANG in found
    assert found.index(DUK) < found.index(DANG)
    # the article that says "đang" once comes before the one that says "Đảng" in its title and all through
    found = open_search(page, site_url, q="đang")
    assert found.index(DANG) < found.index(DUK)
    assert open_search(page, site_url, q="ĐANG")[0] == DANG
    # without marks, the weight of the words decides
    assert open_search(page, site_url, q="dang")[0] == DUK
    # names that differ only by tone marks: the exact one first, the other still found
    assert open_search(page, site_url, q="ấp Hưng")[0] == HOA_OLD
    assert open_search(page, site_url, q="ấp Hùng")[0] in (HOA_NEW, NFD)
    assert HOA_OLD in open_search(page, site_url, q="ấp Hùng")


@pytest.mark.parametrize("query, wanted", [
    ("hòa", HOA_NEW), ("hoà", HOA_OLD), ("ủy ban", HOA_NEW), ("uỷ ban", HOA_OLD),
    ("khỏe", HOA_NEW), ("khoẻ", HOA_OLD), ("thủy lợi", HOA_NEW), ("thuỷ lợi", HOA_OLD),
])
def test_tone_placements_find_each_other(page, site_url, query, wanted):
    found = open_search(page, site_url, q=query)
    assert {HOA_NEW, HOA_OLD} <= set(found), (query, found)


def test_nfd_text_and_queries_behave_as_nfc(page, site_url):
    nfc = open_search(page, site_url, q="sinh hoạt chuyên đề")
    assert nfc[0] == NFD
    assert open_search(page, site_url, q=unicodedata.normalize("NFD", "sinh hoạt chuyên đề")) == nfc
    assert page.inner_text(f'#search-results li:has(a[href$="{NFD}"]) h3') == "Sinh hoạt chuyên đề ở Chi bộ ấp Hùng"
    nfd_typed = type_query(page, unicodedata.normalize("NFD", "đoàn kết"))
    assert "Tìm thấy 1 bài viết" in nfd_typed and result_paths(page) == [NFD]


def test_quoted_phrase(page, site_url):
    assert set(open_search(page, site_url, q="quy hoạch cán bộ")) >= {PHRASE, WORDS}
    assert open_search(page, site_url, q='"quy hoạch cán bộ"') == [PHRASE]
    assert page.inner_text("#search-results [role=status]") == "Tìm thấy 1 bài viết cho “quy hoạch cán bộ”."
    assert open_search(page, site_url, q="“quy hoach can bo”") == [PHRASE]  # phone quotes, no accents


def test_unit_filter_includes_descendants(page, site_url):
    assert set(open_search(page, site_url, unit="huyen-uy-hon-quan")) == {DANG, HOA_NEW, HOA_OLD, WORDS, NFD}
    assert set(open_search(page, site_url, unit="chi-bo-hung")) == {HOA_NEW, NFD}
    assert len(open_search(page, site_url, unit="tinh-uy")) == 10  # the first page of 18
    assert "Tìm thấy 18 bài viết." in page.inner_text("#search-results [role=status]")
    assert page.locator("#loc-don-vi").input_value() == "tinh-uy"


def test_filters_alone_and_combined_with_counts(page, site_url):
    assert set(open_search(page, site_url, term="2025-2030")) == {HOA_OLD, PHRASE, WORDS, NFD}
    assert set(open_search(page, site_url, year="2025")) == {HOA_OLD, PHRASE, WORDS}
    assert set(open_search(page, site_url, year="2025", unit="huyen-uy-hon-quan")) == {HOA_OLD, WORDS}
    assert open_search(page, site_url, q="kenh thuy loi", unit="chi-bo-hung-2", term="2025-2030") == [HOA_OLD]
    # facet counts: the selected facet still counts its other values, the others count within the selection
    open_search(page, site_url, year="2025", unit="huyen-uy-hon-quan")
    year_2024 = page.inner_text('#loc-nam option[value="2024"]')
    unit_ban = page.inner_text('#loc-don-vi option[value="ban-to-chuc"]')
    term_2020 = page.inner_text('#loc-nhiem-ky option[value="2020-2025"]')
    assert year_2024.endswith("(1)")  # huyen-uy-hon-quan in 2024: hoa-giai
    assert unit_ban.endswith("(1)")  # 2025 at ban-to-chuc: quy-hoach
    assert term_2020.endswith("(0)")


def test_facet_counts_load_when_the_reader_reaches_for_them(page, site_url):
    open_search(page, site_url, q="ấp")
    option = '#loc-nam option[value="2024"]'
    assert page.inner_text(option) == "2024"  # the filter index is not fetched for a plain query
    page.focus("#loc-nam")
    page.wait_for_function("sel => document.querySelector(sel).textContent.includes('(')", arg=option)
    assert page.inner_text(option) == "2024 (1)"
    assert page.inner_text('#loc-nam option[value="2022"]') == "2022 (0)"
    assert page.inner_text('#loc-don-vi option[value="huyen-uy-hon-quan"]').endswith("Huyện ủy Hớn Quản (3)")


def test_sort_by_date(page, site_url):
    by_date = open_search(page, site_url, q="ấp", sort="date")
    assert by_date == [NFD, HOA_OLD, HOA_NEW]


def test_url_parameters_fill_the_form_and_typing_updates_the_url(page, site_url):
    found = open_search(page, site_url, q="thuy loi", unit="chi-bo-hung")
    assert found == [HOA_NEW]
    assert page.input_value("#tu-khoa") == "thuy loi"
    page.select_option("#loc-don-vi", "")
    wait_done(page)
    assert set(result_paths(page)) == {HOA_NEW, HOA_OLD}
    assert "unit" not in parse_qs(urlsplit(page.url).query)
    type_query(page, "dong chi")
    page.select_option("#loc-nam", "2022")
    page.select_option("#sap-xep", "date")
    page.wait_for_function("() => new URLSearchParams(location.search).get('sort') === 'date'")
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["dong chi"], "year": ["2022"], "sort": ["date"]}
    assert result_paths(page) == [DUK]


def test_more_results_keep_the_reader_in_place(page, site_url):
    assert len(open_search(page, site_url, q="diem tin tuan")) == 10
    assert page.inner_text("#search-results [role=status]") == "Tìm thấy 11 bài viết cho “diem tin tuan”. Đang hiện 10/11 bài."
    page.click("text=Xem thêm kết quả")
    page.wait_for_function("() => document.querySelectorAll('#search-results ol > li').length === 11")
    wait_done(page)
    assert page.evaluate("document.activeElement === document.querySelectorAll('#search-results ol > li h3 a')[10]")
    assert page.locator("[data-search-more]").is_hidden()
    assert page.inner_text("#search-results [role=status]") == "Tìm thấy 11 bài viết cho “diem tin tuan”."


def test_empty_results_message(page, site_url):
    assert open_search(page, site_url, q="xyzqwv") == []
    status = page.inner_text("#search-results [role=status]")
    assert status.startswith("Không tìm thấy bài viết nào cho “xyzqwv”")
    assert page.get_attribute("#search-results [role=status]", "aria-live") == "polite"


def test_hostile_query_is_text(page, site_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_search(page, site_url, q=HOSTILE)
    assert HOSTILE in page.inner_text("#search-results [role=status]")
    type_query(page, HOSTILE + " dang")
    assert page.locator("#search-results img, main img[src=x]").count() == 0
    assert HOSTILE in page.inner_text("#search-results [role=status]")
    assert dialogs == []


def test_without_javascript_the_form_and_browse_links_remain(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(f"{site_url}/tim-kiem/?q=dang")
        form = page.locator("form[role=search][method=get]")
        assert form.count() == 1 and form.get_attribute("action").endswith("/tim-kiem/")
        assert page.locator("form[role=search] input[name=q]").is_visible()
        for href in ("/don-vi/", "/nhiem-ky/", "/luu-tru/"):
            assert page.locator(f'.search-browse a[href$="{href}"]').is_visible()
        assert "tắt JavaScript" in page.inner_text("main")
    finally:
        context.close()


def test_fits_a_320px_screen(page, site_url):
    page.set_viewport_size({"width": 320, "height": 640})
    open_search(page, site_url, q="dang uy")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_second_press_on_more_adds_each_result_once(page, site_url):
    open_search(page, site_url, q="diem tin tuan")
    page.evaluate("() => { const more = document.querySelector('[data-search-more]'); more.click(); more.click(); }")
    page.wait_for_function("() => document.querySelectorAll('#search-results ol > li').length >= 11")
    wait_done(page)
    paths = result_paths(page)
    assert len(paths) == len(set(paths)) == 11


def test_filters_the_page_does_not_list_are_named_not_dropped_silently(page, site_url):
    found = open_search(page, site_url, q="ấp", unit="khong-ton-tai")
    assert set(found) == {HOA_NEW, HOA_OLD, NFD}
    assert page.inner_text("#search-results [role=status]").endswith(
        "Bản tin không có đơn vị “khong-ton-tai” nên bộ lọc này được bỏ qua.")
    assert "unit" not in parse_qs(urlsplit(page.url).query)
    assert set(open_search(page, site_url, term="2025–2030")) == {HOA_OLD, PHRASE, WORDS, NFD}  # as the label writes it
    assert page.locator("#loc-nhiem-ky").input_value() == "2025-2030"
    page.goto(f"{site_url}/tim-kiem/?year=2030")
    page.wait_for_function("() => document.querySelector('[data-search-status]').textContent.includes('2030')")
    assert "Bản tin không có năm “2030”" in page.inner_text("#search-results [role=status]")


@pytest.mark.parametrize("query", ["?!...", "🎉", '"', "  -  "])
def test_a_query_without_letters_or_digits_is_no_query(page, site_url, query):
    page.goto(f"{site_url}/tim-kiem/?{urlencode({'q': query})}")
    page.wait_for_function("() => document.querySelector('[data-search-status]').textContent.startsWith('Nhập từ khóa')")
    assert page.locator("#search-results ol > li").count() == 0


def test_long_query_is_cut_in_the_status(page, site_url):
    open_search(page, site_url, q="xyzqwv " * 40)
    status = page.inner_text("#search-results [role=status]")
    assert "xyzqwv xyzqwv" in status and "…”" in status and len(status) < 250


def test_back_and_forward_step_through_searches(page, site_url):
    open_search(page, site_url, q="ấp")
    type_query(page, "cong tac")
    page.select_option("#loc-nam", "2022")
    page.wait_for_function("() => new URLSearchParams(location.search).get('year') === '2022'")
    wait_done(page)

    def query() -> dict:
        return parse_qs(urlsplit(page.url).query)

    page.go_back()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('year')")
    wait_done(page)
    assert query() == {"q": ["cong tac"]} and page.locator("#loc-nam").input_value() == ""
    assert set(result_paths(page)) == {DUK, PHRASE}  # no longer only 2022
    page.go_back()
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'ấp'")
    wait_done(page)
    assert page.input_value("#tu-khoa") == "ấp" and set(result_paths(page)) == {HOA_NEW, HOA_OLD, NFD}
    page.go_forward()
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'cong tac'")
    wait_done(page)
    assert page.input_value("#tu-khoa") == "cong tac"


def test_a_failed_result_load_says_so_and_leaves_nothing_busy(page, site_url):
    page.route("**/tim-kiem/chi-muc/d/**", lambda route: route.abort())
    page.goto(f"{site_url}/tim-kiem/?q=dang")
    page.wait_for_function("() => document.querySelector('[data-search-status]').textContent.startsWith('Chưa tải được')")
    assert page.locator("[data-search-list][aria-busy]").count() == 0


def test_print_shows_the_filters_not_the_controls(page, site_url):
    open_search(page, site_url, q="diem tin", unit="ban-to-chuc", year="2021")
    page.emulate_media(media="print")
    try:
        assert page.inner_text("[data-search-filters]") == "Bộ lọc: đơn vị: Ban Tổ chức Tỉnh ủy; năm: 2021."
        for hidden in ("form[role=search]", ".search-browse", "[data-search-more]"):
            assert page.locator(hidden).is_hidden(), hidden
    finally:
        page.emulate_media(media="screen")
    assert page.locator("[data-search-filters]").is_hidden()


def test_while_typing_the_last_syllable_may_be_the_start_of_a_word(page, site_url):
    page.goto(f"{site_url}/tim-kiem/")
    type_query(page, "kenh thuy lo")  # "lo" is being typed: lợi
    assert set(result_paths(page)) == {HOA_NEW, HOA_OLD}
    marks = page.eval_on_selector_all("#search-results mark", "ms => ms.map(m => m.textContent.toLowerCase())")
    assert sorted(marks) == ["kênh thuỷ lợi", "kênh thủy lợi"]  # whole words, not the typed start alone
    # whole matches of the syllable being typed come first: hòa, hoà, hóa before hoạch, hoạt
    type_query(page, "hoa")
    found = result_paths(page)
    assert set(found[:3]) == {HOA_NEW, HOA_OLD, DANG} and {PHRASE, WORDS, NFD} <= set(found[3:])
    # once the reader presses Enter, every syllable is a whole one
    page.press("#tu-khoa", "Enter")
    page.wait_for_function("() => document.querySelectorAll('#search-results ol > li').length === 3")
    assert set(result_paths(page)) == {HOA_NEW, HOA_OLD, DANG}


def test_an_address_written_while_typing_shows_what_the_reader_saw(page, site_url):
    # the address follows the box as the reader types, so a link or a reload may end with a syllable typed in part
    assert set(open_search(page, site_url, q="kenh thuy lo")) == {HOA_NEW, HOA_OLD}
    assert open_search(page, site_url, q="kenh thuy xyzq") == []  # nothing starts so either: nothing found
    assert "Không tìm thấy" in page.inner_text("#search-results [role=status]")


def test_after_a_search_focus_and_the_announcement_go_to_the_result_count(page, site_url):
    page.goto(f"{site_url}/tim-kiem/")
    page.fill("#tu-khoa", "dang uy khoi")
    page.press("#tu-khoa", "Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('[data-search-status]')")
    focused = page.evaluate("""() => { const e = document.activeElement;
        return [e.getAttribute('role'), e.getAttribute('aria-live'), e.textContent]; }""")
    assert focused[0] == "status" and focused[1] == "polite" and focused[2].startswith("Tìm thấy 1 bài viết")
    # the count is on screen where focus landed
    box = page.locator("[data-search-status]").bounding_box()
    assert 0 <= box["y"] < 800


def test_the_unit_filter_shows_the_hierarchy_as_groups_not_spaces(page, site_url):
    open_search(page, site_url, unit="chi-bo-hung")
    options = page.eval_on_selector_all("#loc-don-vi option", "os => os.map(o => o.textContent)")
    assert options and all(text == text.strip() and "\u00a0" not in text for text in options)
    chosen = page.eval_on_selector("#loc-don-vi", "s => s.options[s.selectedIndex].textContent")
    assert chosen.startswith("Chi bộ ấp Hùng")  # the chosen value is the name, then its count
    groups = page.eval_on_selector_all("#loc-don-vi optgroup", "gs => gs.map(g => [g.label, Array.from(g.children, o => o.value)])")
    assert groups == [["Huyện ủy Hớn Quản và các đơn vị trực thuộc",
                       ["huyen-uy-hon-quan", "chi-bo-hung", "chi-bo-hung-2", "dang-uy-xa-tan-khai"]]]  # Vietnamese order
    top = page.eval_on_selector_all("#loc-don-vi > option", "os => os.map(o => o.value)")
    assert top == ["", "tinh-uy", "ban-to-chuc", "dang-uy-khoi"]
    # what the printout and the screen reader read is the plain name too
    page.emulate_media(media="print")
    try:
        assert page.inner_text("[data-search-filters]") == "Bộ lọc: đơn vị: Chi bộ ấp Hùng."
    finally:
        page.emulate_media(media="screen")


def test_on_a_phone_the_filters_fold_behind_a_button_and_results_start_on_the_first_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN")
    try:
        page = context.new_page()
        open_search(page, site_url, q="ấp", year="2024")
        toggle = page.locator("[data-filter-toggle]")
        assert toggle.is_visible() and toggle.inner_text() == "Bộ lọc (1)"
        assert toggle.get_attribute("aria-expanded") == "false"
        for select in ("#loc-don-vi", "#loc-nhiem-ky", "#loc-nam", "#sap-xep"):
            assert page.locator(select).is_hidden()
        first = page.locator("#search-results ol > li h3").first.bounding_box()
        assert first["y"] + first["height"] <= 800, first  # the first result's title is on the first screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        unit = page.locator("#loc-don-vi").bounding_box()
        assert unit["y"] > toggle.bounding_box()["y"]  # the filters open below their button
        page.select_option("#loc-don-vi", "huyen-uy-hon-quan")
        page.wait_for_function("() => new URLSearchParams(location.search).get('unit') === 'huyen-uy-hon-quan'")
        wait_done(page)
        assert toggle.inner_text() == "Bộ lọc (2)"
        # without a fold on a wide screen: no button, the filters in sight
        page.set_viewport_size({"width": 1280, "height": 800})
        assert toggle.is_hidden() and page.locator("#loc-don-vi").is_visible()
    finally:
        context.close()
