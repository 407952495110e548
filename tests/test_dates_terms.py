"""Dates (day first, Vietnam's time zone, Vietnamese formatting) and terms (one canonical form), as tables."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pelican.plugins.bulletin.dates import (
    DateError,
    format_date,
    format_datetime,
    format_month,
    format_short_date,
    parse_date,
    weekday_name,
)
from pelican.plugins.bulletin.terms import Term, TermError, find_terms, parse_term

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(("given", "expected"), [
    ("2022-04-04", (2022, 4, 4, 0, 0)),
    ("2022-04-04 08:30", (2022, 4, 4, 8, 30)),
    ("2022-04-04T08:30", (2022, 4, 4, 8, 30)),
    ("04/04/2022", (2022, 4, 4, 0, 0)),
    ("4/4/2022", (2022, 4, 4, 0, 0)),
    ("4/4/2022 8:30", (2022, 4, 4, 8, 30)),
    ("1/2/2022 07:05", (2022, 2, 1, 7, 5)),
    ("08:30 04/04/2022", (2022, 4, 4, 8, 30)),
    ("05/03/2025", (2025, 3, 5, 0, 0)),  # day first: 5 March, never 3 May
    ("13/01/2025", (2025, 1, 13, 0, 0)),
    ("29/02/2024", (2024, 2, 29, 0, 0)),
    ("  04/04/2022  ", (2022, 4, 4, 0, 0)),
    # other ISO 8601 forms: fractions of a second, an offset in hours, a space before the offset, the basic format
    ("2024-11-05T08:30:00.000+07:00", (2024, 11, 5, 8, 30)),
    ("2022-04-04T08:30:00+07", (2022, 4, 4, 8, 30)),
    ("2022-04-04 08:30 +07:00", (2022, 4, 4, 8, 30)),
    ("2022-04-04T01:30:00,5Z", (2022, 4, 4, 8, 30)),
    ("2022-04-04T08:30-05", (2022, 4, 4, 20, 30)),
    ("20220404", (2022, 4, 4, 0, 0)),
    ("20220404T083000+0700", (2022, 4, 4, 8, 30)),
])
def test_parse_date_formats(given, expected):
    moment = parse_date(given, VN)
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == expected
    assert moment.tzinfo == VN
    assert moment.utcoffset() == timedelta(hours=7)


def test_parse_date_converts_explicit_offsets_to_vietnam_time():
    moment = parse_date("2022-04-04T01:30:00Z", VN)
    assert (moment.day, moment.hour, moment.minute) == (4, 8, 30)
    assert moment == datetime(2022, 4, 4, 1, 30, tzinfo=ZoneInfo("UTC"))
    assert parse_date("2022-04-04T08:30:00+07:00", VN) == moment


@pytest.mark.parametrize(("given", "words"), [
    ("31/02/2025", ["không có thật", "31"]),
    ("29/02/2023", ["không có thật"]),
    ("13/13/2022", ["không có thật"]),
    ("2022-13-01", ["không có thật"]),
    ("05/03/25", ["hai chữ số", "bốn chữ số"]),
    ("05/03", ["thiếu năm"]),
    ("04/04/2022 25:00", ["giờ"]),
    ("25:00 04/04/2022", ["giờ"]),
    ("04/04/2202", ["năm 2202", "gõ nhầm"]),
    ("01/01/0001", ["năm 1", "ngoài khoảng"]),
    ("1899-12-31", ["ngoài khoảng"]),
    ("hôm qua", ["không đọc được", "dd/mm/yyyy"]),
    ("2022/04/04", ["không đọc được"]),
    ("", ["không đọc được"]),
    ("04042022", ["không đọc được"]),  # ddmmyyyy without separators: never read as yyyymmdd
    ("20102022", ["không đọc được"]),
    ("20220230", ["không có thật"]),
    ("2022-04-04T08:30+25:00", ["múi giờ", "+25:00"]),
    # month first: the day-first reading is impossible, the swapped one is real
    ("12/31/2022", ["không có thật", "có phải 31/12/2022?"]),
    ("12/31/2022 08:30", ["có phải 31/12/2022 08:30?"]),
    ("2022-31-12", ["có phải 2022-12-31?"]),
    ("ngày 12 tháng 31 năm 2022", ["có phải ngày 31 tháng 12 năm 2022?"]),
])
def test_parse_date_errors_are_vietnamese(given, words):
    with pytest.raises(DateError) as caught:
        parse_date(given, VN)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("given", ["31/02/2022", "30/13/2022", "2022-02-30"])
def test_no_swap_is_suggested_when_the_swapped_date_is_not_real_either(given):
    with pytest.raises(DateError) as caught:
        parse_date(given, VN)
    assert "không có thật" in str(caught.value) and "có phải" not in str(caught.value)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2022, 4, 4), "Thứ Hai, 04/04/2022"),
    (date(2022, 4, 5), "Thứ Ba, 05/04/2022"),
    (date(2022, 4, 6), "Thứ Tư, 06/04/2022"),
    (date(2022, 4, 7), "Thứ Năm, 07/04/2022"),
    (date(2022, 4, 8), "Thứ Sáu, 08/04/2022"),
    (date(2022, 4, 9), "Thứ Bảy, 09/04/2022"),
    (date(2022, 4, 10), "Chủ nhật, 10/04/2022"),
])
def test_format_date_in_vietnamese(day, expected):
    assert format_date(day) == expected
    assert weekday_name(day) == expected.split(",")[0]


def test_format_month_short_date_and_datetime():
    assert format_month(2022, 4) == "Tháng 4/2022"
    assert format_month(2025, 12) == "Tháng 12/2025"
    assert format_short_date(date(2022, 4, 4)) == "04/04/2022"
    assert format_datetime(parse_date("04/04/2022 08:30", VN)) == "Thứ Hai, 04/04/2022, 08:30"
    assert format_datetime(parse_date("04/04/2022", VN)) == "Thứ Hai, 04/04/2022"


@pytest.mark.parametrize("given", [
    "2020-2025", "2020 – 2025", "2020–2025", "2020—2025", "nhiệm kỳ 2020–2025", "Nhiệm kỳ 2020 - 2025",
    "NK 2020-2025", "nk2020-2025", "NHIỆM KỲ 2020–2025", "  2020  -  2025 ",
])
def test_parse_term_normalises(given):
    term = parse_term(given)
    assert term == Term(2020, 2025)
    assert term.label == "2020–2025"
    assert term.code == "2020-2025"
    assert str(term) == "2020–2025"


@pytest.mark.parametrize(("given", "words"), [
    ("2025-2020", ["kết thúc phải sau"]),
    ("2020-2020", ["kết thúc phải sau"]),
    ("abc", ["không đúng dạng"]),
    ("2020", ["không đúng dạng"]),
    ("2020-25", ["không đúng dạng", "bốn chữ số", "có phải 2020–2025?"]),
    ("2020–25", ["có phải 2020–2025?"]),
    ("nhiệm kỳ 2021 - 26", ["có phải 2021–2026?"]),
    ("1998-03", ["có phải 1998–2003?"]),
    ("nhiệm kỳ", ["không đúng dạng"]),
    ("2020-2025-2030", ["không đúng dạng"]),
    ("nhiệm kỳ 2020–2025 và 2025–2030", ["không đúng dạng"]),
    ("1800-1805", ["ngoài khoảng"]),
    ("2025-2026", ["dài 1 năm", "có phải 2025–2030?"]),
    ("2000-2030", ["dài 30 năm", "từ 2 đến 10 năm"]),
])
def test_parse_term_errors(given, words):
    with pytest.raises(TermError) as caught:
        parse_term(given)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("given", ["2020", "2020-2025-2030", "2099-05", "abc-25"])
def test_parse_term_suggests_a_full_end_year_only_when_it_makes_a_term(given):
    with pytest.raises(TermError) as caught:
        parse_term(given)
    assert "có phải" not in str(caught.value)


def test_terms_order_newest_first_when_reversed():
    terms = [Term(2020, 2025), Term(2026, 2031), Term(2021, 2026), Term(2025, 2030)]
    assert [t.label for t in sorted(terms, reverse=True)] == ["2026–2031", "2025–2030", "2021–2026", "2020–2025"]


def test_find_terms_in_free_text():
    text = "Đại hội nhiệm kỳ 2020-2025, hướng tới 2025 – 2030; nhắc lại 2020–2025; mã 12345-67890; 1990-2030; năm học 2024-2025."
    assert find_terms(text) == [Term(2020, 2025), Term(2025, 2030)]
