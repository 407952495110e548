"""Write a deterministic synthetic bulletin site (units.yml + Vietnamese articles) for benchmarks.

Every article depends only on (seed, its number), so a site of 1,000 articles is the first 1,000 files of a
site of 10,000 with the same seed, and the same seed always gives byte-identical files.

    python benchmarks/synth.py scratch/site 1000 --seed 0
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil

import yaml

from pelican.plugins.bulletin.text import slugify

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGISTRY = os.path.join(ROOT, "content", "units.yml")
FIRST_DAY = dt.date(2020, 7, 1)
LAST_DAY = dt.date(2026, 6, 30)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Trương", "Đinh", "Mai", "Quách", "Lâm", "Tạ", "Điểu", "Thị"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Xuân", "Tấn", "Công", "Ngọc"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Ngọc", "Thị Bích", "Thị Kim", "Thị Thanh", "Hồng", "Thùy"]
GIVEN_M = ["Hùng", "Hưng", "Khiêm", "Trường", "Phát", "Lộc", "Thịnh", "Tuấn", "Dũng", "Sơn", "Hải", "Long", "Thành",
           "Bình", "Khải", "Nghĩa", "Toàn", "Quang", "Đạt", "Lực"]
GIVEN_F = ["Hằng", "Ngọc", "Lan", "Hương", "Mai", "Trang", "Thủy", "Hoa", "Ánh", "Minh", "Nhung", "Duyên", "Yến",
           "Vân", "Tuyết"]
ROLES = ["Bí thư", "Phó Bí thư Thường trực", "Phó Bí thư", "Trưởng Ban Tổ chức", "Chủ nhiệm Ủy ban Kiểm tra",
         "Trưởng Ban Tuyên giáo và Dân vận", "Chánh Văn phòng", "ủy viên Ban Thường vụ"]
AUTHOR_TITLES = ["Văn phòng cấp ủy", "Cộng tác viên bản tin", "Ban Tuyên giáo và Dân vận", "Phòng Tổ chức cán bộ",
                 "Ban biên tập", "Phóng viên bản tin"]
PLACES = ["hội trường cơ quan", "hội trường Tỉnh ủy", "trung tâm chính trị huyện", "nhà văn hóa xã",
          "phòng họp trực tuyến", "trụ sở Đảng ủy"]
ORDINALS = ["III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
TERM_SPELLINGS = {
    "2020-2025": ["2020-2025", "2020–2025", "nhiệm kỳ 2020–2025", "2020 – 2025"],
    "2021-2026": ["2021-2026", "2021–2026", "nhiệm kỳ 2021-2026"],
    "2025-2030": ["2025-2030", "2025–2030", "nhiệm kỳ 2025–2030", "2025 – 2030"],
    "2026-2031": ["2026-2031", "2026–2031", "nhiệm kỳ 2026-2031"],
}

# Topic -> titles, lead sentences, sections (heading, sentences), list items and tags. All text is original.
TOPICS: dict[str, dict] = {
    "hoi-nghi": {
        "titles": [
            "{unit} tổ chức hội nghị sơ kết công tác xây dựng Đảng {period}",
            "{unit} họp hội nghị Ban Chấp hành mở rộng tháng {month}/{year}",
            "Hội nghị {unit} bàn giải pháp thực hiện nhiệm vụ những tháng cuối năm {year}",
            "{unit} triển khai chương trình công tác trọng tâm năm {year}",
        ],
        "lead": [
            "Ngày {day}/{month}, {unit} tổ chức hội nghị đánh giá kết quả công tác xây dựng Đảng và triển khai nhiệm vụ thời gian tới.",
            "Sáng {day}/{month}, tại {place}, {unit} họp hội nghị với sự tham dự của {n} đại biểu là cán bộ chủ chốt.",
            "Trong ngày {day}/{month}, {unit} đã tổ chức hội nghị theo chương trình công tác đã đề ra từ đầu năm.",
        ],
        "sections": [
            ("Kết quả đạt được", [
                "Báo cáo tại hội nghị cho biết {pct}% chi bộ trực thuộc duy trì nền nếp sinh hoạt định kỳ hằng tháng.",
                "Công tác phát triển đảng viên có chuyển biến, {n2} quần chúng ưu tú đã được kết nạp trong kỳ.",
                "Các nghị quyết chuyên đề được cụ thể hóa thành kế hoạch có phân công người chịu trách nhiệm rõ ràng.",
                "Việc tiếp dân, giải quyết kiến nghị của cử tri được thực hiện kịp thời, không để tồn đọng kéo dài.",
                "Nhiều mô hình dân vận khéo được nhân rộng, tạo đồng thuận trong nhân dân ở các khu dân cư.",
            ]),
            ("Hạn chế cần khắc phục", [
                "Bên cạnh kết quả đạt được, hội nghị thẳng thắn chỉ ra một số chi bộ sinh hoạt còn hình thức, nội dung chưa sâu.",
                "Một vài chỉ tiêu về thu ngân sách và giảm nghèo còn chậm so với tiến độ nghị quyết.",
                "Chất lượng báo cáo của một số tổ chức cơ sở đảng chưa cao, số liệu còn thiếu thống nhất.",
                "Việc ứng dụng công nghệ thông tin trong quản lý đảng viên ở cơ sở chưa đồng đều.",
            ]),
            ("Nhiệm vụ thời gian tới", [
                "Hội nghị thống nhất tập trung chỉ đạo hoàn thành các chỉ tiêu còn lại trước ngày 15/12.",
                "Các đồng chí cấp ủy viên phụ trách địa bàn được giao bám sát cơ sở, kịp thời tháo gỡ vướng mắc.",
                "Công tác kiểm tra, giám sát sẽ tập trung vào những lĩnh vực dễ phát sinh sai phạm.",
                "Mỗi chi bộ phải xác định một việc cụ thể, làm dứt điểm trong quý để tạo chuyển biến rõ nét.",
            ]),
        ],
        "items": [
            "nâng cao chất lượng sinh hoạt chi bộ, nhất là sinh hoạt chuyên đề",
            "đẩy nhanh tiến độ các công trình trọng điểm của địa phương",
            "làm tốt công tác nắm tình hình tư tưởng của cán bộ, đảng viên",
            "tăng cường đối thoại giữa người đứng đầu cấp ủy với nhân dân",
            "rà soát, hoàn thiện hồ sơ đảng viên trên phần mềm quản lý",
        ],
        "tags": ["hội nghị", "xây dựng Đảng", "sơ kết", "chương trình công tác"],
    },
    "quy-hoach": {
        "titles": [
            "{unit} lấy phiếu giới thiệu quy hoạch cán bộ nhiệm kỳ {term}",
            "{unit} rà soát, bổ sung quy hoạch cấp ủy nhiệm kỳ {term}",
            "Hội nghị cán bộ chủ chốt {unit} giới thiệu nguồn quy hoạch",
            "{unit} hoàn thành bước giới thiệu nhân sự quy hoạch giai đoạn {term}",
        ],
        "lead": [
            "Ngày {day}/{month}, {unit} tổ chức hội nghị cán bộ chủ chốt để bỏ phiếu giới thiệu quy hoạch nhiệm kỳ {term}.",
            "Thực hiện hướng dẫn của cấp trên, {unit} vừa tiến hành quy trình rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ {term}.",
            "Sáng {day}/{month}, {unit} lấy phiếu tín nhiệm và giới thiệu nguồn cán bộ quy hoạch với sự tham dự của {n} đại biểu.",
        ],
        "sections": [
            ("Quy trình bỏ phiếu", [
                "Đại biểu được nghe báo cáo về số lượng, cơ cấu và tiêu chuẩn của chức danh quy hoạch trước khi ghi phiếu.",
                "Việc bỏ phiếu được tiến hành kín, kết quả được niêm phong và chuyển Ban Thường vụ làm căn cứ xem xét.",
                "Tổ kiểm phiếu làm việc dưới sự giám sát của đại diện Ủy ban Kiểm tra cùng cấp.",
                "Đại biểu có thể giới thiệu người ngoài danh sách nếu bảo đảm đủ tiêu chuẩn theo quy định.",
            ]),
            ("Cơ cấu nguồn cán bộ", [
                "Danh sách giới thiệu bổ sung có {n2} đồng chí, trong đó tỉ lệ cán bộ nữ đạt {pct}%.",
                "Hội nghị ưu tiên cán bộ trẻ, cán bộ người dân tộc thiểu số có năng lực và uy tín trong tập thể.",
                "Những trường hợp đã chuyển công tác, quá tuổi hoặc không còn đáp ứng yêu cầu được đưa ra khỏi quy hoạch.",
                "Mỗi chức danh được quy hoạch từ hai đến ba người, không quy hoạch một người vào quá ba chức danh.",
            ]),
            ("Yêu cầu sau quy hoạch", [
                "Cấp ủy được yêu cầu gắn quy hoạch với kế hoạch đào tạo, bồi dưỡng và luân chuyển cụ thể.",
                "Cán bộ trong quy hoạch cần được giao việc khó để thử thách và đánh giá qua kết quả thực tế.",
                "Quy hoạch phải được rà soát hằng năm, bảo đảm tính động và mở theo đúng hướng dẫn.",
                "Hồ sơ nhân sự phải hoàn thiện trước khi trình cấp trên thẩm định theo thời hạn đã định.",
            ]),
        ],
        "items": [
            "chỉ giới thiệu người đủ tiêu chuẩn chính trị, đạo đức và năng lực",
            "bảo đảm tỉ lệ cán bộ trẻ và cán bộ nữ theo hướng dẫn",
            "không giới thiệu người đang bị xem xét kỷ luật",
            "thực hiện đúng nguyên tắc tập trung dân chủ, công khai và khách quan",
            "gắn quy hoạch với đào tạo, luân chuyển và bố trí cán bộ",
        ],
        "tags": ["quy hoạch cán bộ", "bỏ phiếu giới thiệu", "công tác cán bộ", "hội nghị cốt cán"],
    },
    "dai-hoi": {
        "titles": [
            "{unit} chuẩn bị đại hội đảng bộ nhiệm kỳ {term}",
            "{unit} góp ý dự thảo văn kiện đại hội nhiệm kỳ {term}",
            "Đại hội điểm của {unit} nhiệm kỳ {term} thành công tốt đẹp",
            "{unit} hoàn tất công tác nhân sự trình đại hội nhiệm kỳ {term}",
        ],
        "lead": [
            "Ngày {day}/{month}, {unit} tổ chức hội nghị triển khai kế hoạch chuẩn bị đại hội đảng bộ nhiệm kỳ {term}.",
            "Trong hai ngày {day} và {day2}/{month}, {unit} tổ chức đại hội đại biểu lần thứ {ordinal}, nhiệm kỳ {term}.",
            "Hướng tới đại hội nhiệm kỳ {term}, {unit} đã thành lập các tiểu ban giúp việc và phân công nhiệm vụ cụ thể.",
        ],
        "sections": [
            ("Công tác văn kiện", [
                "Dự thảo báo cáo chính trị được gửi lấy ý kiến rộng rãi của cán bộ, đảng viên và nhân dân.",
                "Tiểu ban văn kiện đã tiếp thu {n2} lượt ý kiến đóng góp, chỉnh sửa nhiều nội dung quan trọng.",
                "Báo cáo đánh giá khách quan kết quả nhiệm kỳ qua, chỉ rõ nguyên nhân của những hạn chế.",
                "Các chỉ tiêu của nhiệm kỳ mới được xây dựng trên cơ sở thực tiễn và khả năng của địa phương.",
            ]),
            ("Công tác nhân sự", [
                "Phương án nhân sự cấp ủy khóa mới được chuẩn bị chặt chẽ, đúng quy trình năm bước.",
                "Cơ cấu cấp ủy khóa mới bảo đảm có cán bộ trẻ, cán bộ nữ và sự chuyển tiếp giữa các thế hệ.",
                "Đại hội bầu Ban Chấp hành khóa mới gồm {n2} đồng chí và bầu đoàn đại biểu dự đại hội cấp trên.",
                "Việc thẩm tra, xác minh tiêu chuẩn chính trị của nhân sự được hoàn thành trước thời hạn.",
            ]),
            ("Bảo đảm điều kiện tổ chức", [
                "Công tác hậu cần, an ninh trật tự và tuyên truyền cổ động được chuẩn bị chu đáo.",
                "Đại hội được tổ chức tiết kiệm, không phô trương hình thức, tập trung vào nội dung.",
                "Các cơ quan thông tin được giao đưa tin kịp thời, chính xác về diễn biến đại hội.",
                "Sau đại hội, cấp ủy khóa mới sẽ xây dựng chương trình hành động để đưa nghị quyết vào cuộc sống.",
            ]),
        ],
        "items": [
            "hoàn thành dự thảo văn kiện trước khi gửi lấy ý kiến",
            "thẩm định phương án nhân sự đúng quy định",
            "tổ chức đại hội các chi bộ trực thuộc xong trước đại hội đảng bộ",
            "chuẩn bị tài liệu, khánh tiết và hậu cần đại hội",
            "tuyên truyền sâu rộng về đại hội trong cán bộ, đảng viên",
        ],
        "tags": ["đại hội đảng bộ", "chuẩn bị đại hội", "văn kiện đại hội", "nhân sự cấp ủy"],
    },
    "tong-ket": {
        "titles": [
            "{unit} tổng kết nhiệm kỳ {term}",
            "{unit} sơ kết giữa nhiệm kỳ thực hiện nghị quyết đại hội {term}",
            "Nhìn lại {years} năm thực hiện nghị quyết của {unit}",
            "{unit} đánh giá kết quả nhiệm kỳ {term} và định hướng giai đoạn mới",
        ],
        "lead": [
            "Ngày {day}/{month}, {unit} tổ chức hội nghị tổng kết việc thực hiện nghị quyết đại hội nhiệm kỳ {term}.",
            "Sau {years} năm thực hiện nghị quyết đại hội nhiệm kỳ {term}, {unit} đạt và vượt {n2} trên {n3} chỉ tiêu chủ yếu.",
            "{unit} vừa tổ chức hội nghị sơ kết, đánh giá kết quả thực hiện nghị quyết nhiệm kỳ {term} tại {place}.",
        ],
        "sections": [
            ("Những kết quả nổi bật", [
                "Kinh tế địa phương tăng trưởng khá, thu nhập bình quân đầu người tăng {pct}% so với đầu nhiệm kỳ.",
                "Công tác xây dựng Đảng được chú trọng, tỉ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ tăng đều qua các năm.",
                "Hệ thống chính trị từ tỉnh đến cơ sở được củng cố, hoạt động ngày càng hiệu quả.",
                "An sinh xã hội được bảo đảm, đời sống vật chất và tinh thần của nhân dân được cải thiện.",
            ]),
            ("Bài học kinh nghiệm", [
                "Hội nghị rút ra bài học về phát huy vai trò nêu gương của người đứng đầu.",
                "Sự đoàn kết thống nhất trong cấp ủy là yếu tố quyết định thành công của nhiệm kỳ.",
                "Việc lắng nghe ý kiến nhân dân giúp cấp ủy ra quyết định sát thực tế hơn.",
                "Kiểm tra, giám sát thường xuyên giúp phát hiện và chấn chỉnh sớm những sai sót.",
            ]),
            ("Phương hướng giai đoạn tới", [
                "Nhiệm kỳ tới, {unit} xác định ba khâu đột phá gắn với đặc điểm của địa phương.",
                "Cấp ủy tiếp tục đổi mới phương thức lãnh đạo, giảm họp, giảm giấy tờ hành chính.",
                "Chuyển đổi số trong hoạt động của các tổ chức đảng được xác định là nhiệm vụ trọng tâm.",
                "Công tác cán bộ sẽ được thực hiện bài bản, có tầm nhìn dài hạn và công khai, minh bạch.",
            ]),
        ],
        "items": [
            "tăng trưởng kinh tế bình quân đạt và vượt chỉ tiêu nghị quyết",
            "kết nạp đảng viên mới vượt kế hoạch đề ra",
            "hoàn thành xây dựng nông thôn mới nâng cao ở nhiều xã",
            "tỉ lệ hộ nghèo giảm nhanh qua từng năm",
            "không để xảy ra điểm nóng về an ninh trật tự",
        ],
        "tags": ["tổng kết nhiệm kỳ", "sơ kết giữa nhiệm kỳ", "nghị quyết đại hội", "phương hướng nhiệm vụ"],
    },
    "kiem-tra": {
        "titles": [
            "{unit} kiểm tra việc thực hiện quy chế làm việc tại cơ sở",
            "{unit} giám sát chuyên đề công tác quản lý đảng viên năm {year}",
            "{unit} công bố quyết định kiểm tra khi có dấu hiệu vi phạm",
        ],
        "lead": [
            "Ngày {day}/{month}, đoàn kiểm tra của {unit} làm việc với các chi bộ trực thuộc theo kế hoạch năm {year}.",
            "Thực hiện chương trình kiểm tra, giám sát năm {year}, {unit} đã tiến hành giám sát chuyên đề tại {n2} tổ chức đảng.",
        ],
        "sections": [
            ("Nội dung kiểm tra", [
                "Đoàn tập trung vào việc chấp hành nguyên tắc tập trung dân chủ và quy chế làm việc của cấp ủy.",
                "Việc thu, nộp, quản lý và sử dụng đảng phí được xem xét qua sổ sách của từng chi bộ.",
                "Hồ sơ kết nạp đảng viên và chuyển sinh hoạt đảng được đối chiếu với quy định hiện hành.",
            ]),
            ("Kết luận của đoàn", [
                "Qua kiểm tra, đoàn đánh giá các chi bộ cơ bản thực hiện đúng quy định, hồ sơ lưu trữ đầy đủ.",
                "Đoàn đề nghị khắc phục một số thiếu sót về ghi biên bản sinh hoạt chi bộ trong quý tới.",
                "Kết quả kiểm tra sẽ được thông báo bằng văn bản tới các tổ chức đảng liên quan.",
            ]),
        ],
        "items": [
            "ghi biên bản sinh hoạt chi bộ đầy đủ, đúng mẫu",
            "nộp đảng phí đúng kỳ hạn và đúng mức quy định",
            "cập nhật kịp thời thông tin đảng viên trên phần mềm",
            "báo cáo kết quả khắc phục trước thời hạn đoàn yêu cầu",
        ],
        "tags": ["kiểm tra giám sát", "ủy ban kiểm tra", "kỷ luật đảng"],
    },
    "hoc-tap": {
        "titles": [
            "{unit} học tập, quán triệt nghị quyết của Trung ương năm {year}",
            "{unit} tổ chức học tập chuyên đề năm {year} cho cán bộ, đảng viên",
            "Cán bộ, đảng viên {unit} học tập nghị quyết đại hội đảng bộ nhiệm kỳ {term}",
        ],
        "lead": [
            "Ngày {day}/{month}, {unit} tổ chức hội nghị học tập, quán triệt nghị quyết cho {n} cán bộ, đảng viên.",
            "Sáng {day}/{month}, tại {place}, {unit} khai mạc lớp học tập chuyên đề năm {year}.",
        ],
        "sections": [
            ("Nội dung chính", [
                "Báo cáo viên truyền đạt những điểm mới, điểm cốt lõi của nghị quyết một cách dễ hiểu.",
                "Học viên được nghe phân tích những nhiệm vụ gắn trực tiếp với cơ quan, đơn vị mình.",
                "Sau phần truyền đạt, học viên thảo luận nhóm và viết bài thu hoạch cá nhân.",
            ]),
            ("Đưa nghị quyết vào cuộc sống", [
                "Mỗi chi bộ được yêu cầu xây dựng kế hoạch hành động sát với chức năng, nhiệm vụ.",
                "Kết quả học tập là tiêu chí đánh giá, xếp loại đảng viên cuối năm.",
                "Cấp ủy sẽ kiểm tra việc triển khai nghị quyết ở cơ sở vào cuối quý.",
            ]),
        ],
        "items": [
            "hoàn thành bài thu hoạch trong thời hạn quy định",
            "xây dựng chương trình hành động của từng chi bộ",
            "lồng ghép nội dung nghị quyết vào sinh hoạt chi bộ hằng tháng",
        ],
        "tags": ["học tập nghị quyết", "giáo dục chính trị", "quán triệt"],
    },
}
CLOSINGS = [
    "Hội nghị kết thúc cùng ngày, bảo đảm đúng chương trình đề ra.",
    "Phát biểu kết luận, đồng chí chủ trì đề nghị các đơn vị khẩn trương triển khai những nội dung đã thống nhất.",
    "Dịp này, {unit} khen thưởng {n2} tập thể và cá nhân có thành tích tiêu biểu.",
    "Kết quả hội nghị sẽ được báo cáo cấp trên theo quy định.",
]
SUMMARIES = [
    "{unit} đánh giá kết quả thời gian qua và thống nhất các giải pháp cho giai đoạn tới.",
    "Hội nghị của {unit} diễn ra dân chủ, thống nhất cao về nội dung và cách làm.",
    "{unit} đặt ra những việc cụ thể, có người chịu trách nhiệm và mốc thời gian hoàn thành.",
    "Các đại biểu dự hội nghị của {unit} đóng góp nhiều ý kiến thiết thực.",
]
EXTRA_TAGS = ["cơ sở", "dân vận khéo", "chuyển đổi số", "đảng viên trẻ", "nông thôn mới", "cải cách hành chính"]


def load_units(path: str = REGISTRY) -> list[dict]:
    """Return every unit of the registry as a flat list of {code, name, aliases}."""
    with open(path, encoding="utf-8") as handle:
        tree = yaml.safe_load(handle)
    flat: list[dict] = []

    def walk(nodes: list[dict]) -> None:
        for node in nodes or []:
            flat.append({"code": node["code"], "name": node["name"], "aliases": node.get("aliases") or []})
            walk(node.get("children") or [])

    walk(tree)
    return flat


def quote(text: str) -> str:
    """Return text as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def person(rng: random.Random) -> str:
    """Return a made-up Vietnamese full name."""
    if rng.random() < 0.5:
        return f"{rng.choice(FAMILY[:-1])} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{rng.choice(FAMILY[:-1])} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def terms_for(day: dt.date, rng: random.Random) -> list[str]:
    """Return the term codes an article of that date is likely to be filed under."""
    if day < dt.date(2024, 7, 1):
        pool = ["2020-2025", "2021-2026"] + (["2025-2030"] if day.year >= 2023 else [])
    elif day < dt.date(2025, 10, 1):
        pool = ["2020-2025", "2025-2030", "2021-2026", "2026-2031"]
    else:
        pool = ["2025-2030", "2026-2031", "2020-2025"]
    return rng.sample(pool, rng.choice([1, 1, 2]))


def unit_spelling(unit: dict, rng: random.Random) -> str:
    """Return how an editor might write a unit: its code, its name or one of its aliases."""
    roll = rng.random()
    if roll < 0.6 or (roll >= 0.85 and not unit["aliases"]):
        return unit["code"]
    if roll < 0.85:
        return unit["name"]
    return rng.choice(unit["aliases"])


def date_text(day: dt.date, rng: random.Random) -> str:
    """Return the date in one of the spellings editors use."""
    form = rng.randrange(3)
    if form == 0:
        return f"{day:%d/%m/%Y} {rng.choice([7, 8, 9, 14, 15])}:{rng.choice(['00', '30'])}"
    if form == 1:
        return day.isoformat()
    return f"{day:%d/%m/%Y}"


def fill(template: str, slots: dict) -> str:
    """Fill a sentence template."""
    return template.format(**slots)


def compose(number: int, seed: int, units: list[dict]) -> tuple[str, str, str]:
    """Return (year folder, file name, text) of article number `number`."""
    rng = random.Random(f"bulletin-synth:{seed}:{number}")
    span = (LAST_DAY - FIRST_DAY).days
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))
    topic_name = rng.choice(sorted(TOPICS))
    topic = TOPICS[topic_name]
    chosen = rng.sample(units, rng.choice([1, 1, 1, 2]))
    codes = terms_for(day, rng)
    term_label = codes[0].replace("-", "–")
    slots = {
        "unit": chosen[0]["name"],
        "term": term_label,
        "day": day.day,
        "day2": min(day.day + 1, 28),
        "month": day.month,
        "year": day.year,
        "period": rng.choice(["6 tháng đầu năm", "quý I", "quý III", "9 tháng", f"năm {day.year}"]),
        "place": rng.choice(PLACES),
        "n": rng.randrange(40, 260),
        "n2": rng.randrange(5, 40),
        "n3": rng.randrange(40, 60) // 3,
        "pct": rng.randrange(35, 99),
        "ordinal": rng.choice(ORDINALS),
        "years": rng.choice(["hai", "ba", "bốn", "năm"]),
    }
    title = fill(rng.choice(topic["titles"]), slots)
    title = title[0].upper() + title[1:]
    chair = person(rng)
    paragraphs = [fill(rng.choice(topic["lead"]), slots)
                  + f" Đồng chí **{chair}**, {rng.choice(ROLES)}, chủ trì hội nghị."]
    sections = rng.sample(topic["sections"], rng.choice([2, 2, len(topic["sections"])]))
    for index, (heading, pool) in enumerate(sections):
        if rng.random() < 0.75:
            paragraphs.append(f"## {heading}")
        for _ in range(rng.choice([1, 2])):
            sentences = rng.sample(pool, min(len(pool), rng.choice([2, 3])))
            paragraphs.append(" ".join(fill(s, slots) for s in sentences))
        if index == 0 and rng.random() < 0.5:
            items = rng.sample(topic["items"], min(len(topic["items"]), rng.choice([3, 4])))
            paragraphs.append(rng.choice(["Hội nghị thống nhất một số yêu cầu:", "Các nhiệm vụ được giao gồm:"]))
            paragraphs.append("\n".join(f"- {item};" for item in items[:-1]) + f"\n- {items[-1]}.")
    speaker = person(rng)
    paragraphs.append(f"Phát biểu tại hội nghị, đồng chí *{speaker}* ghi nhận những cố gắng của tập thể và đề nghị "
                      f"{chosen[-1]['name']} tiếp tục bám sát nhiệm vụ được giao.")
    paragraphs.append(fill(rng.choice(CLOSINGS), slots))

    tags = rng.sample(topic["tags"], min(len(topic["tags"]), rng.choice([1, 2, 3])))
    if rng.random() < 0.3:
        tags.append(rng.choice(EXTRA_TAGS))
    lines = ["---", f"title: {quote(title)}", f"date: {quote(date_text(day, rng))}", "units:"]
    lines += [f"  - {quote(unit_spelling(unit, rng))}" for unit in chosen]
    lines.append("terms:")
    lines += [f"  - {quote(rng.choice(TERM_SPELLINGS[code]))}" for code in codes]
    lines.append(f"author: {quote(person(rng))}")
    if rng.random() < 0.7:
        lines.append(f"author_title: {quote(rng.choice(AUTHOR_TITLES))}")
    if rng.random() < 0.8:
        lines.append(f"summary: {quote(fill(rng.choice(SUMMARIES), slots))}")
    lines.append("tags:")
    lines += [f"  - {quote(tag)}" for tag in tags]
    lines.append("---")
    text = "\n".join(lines) + "\n\n" + "\n\n".join(paragraphs) + "\n"
    slug = slugify(title)[:70].rstrip("-") + f"-{number + 1:05d}"
    return str(day.year), slug + ".md", text


PAGES = {
    "gioi-thieu.md": '---\ntitle: "Giới thiệu"\nslug: "gioi-thieu"\n---\n\nBản tin thử nghiệm, sinh tự động để đo tốc độ dựng trang.\n',
    "lien-he.md": '---\ntitle: "Liên hệ"\nslug: "lien-he"\n---\n\nBan biên tập bản tin thử nghiệm.\n',
}


def write_site(content_dir: str, count: int, seed: int = 0) -> None:
    """Write units.yml, two pages and `count` deterministic articles under content_dir/articles/<yyyy>/."""
    os.makedirs(content_dir, exist_ok=True)
    shutil.copyfile(REGISTRY, os.path.join(content_dir, "units.yml"))
    pages = os.path.join(content_dir, "pages")
    os.makedirs(pages, exist_ok=True)
    for name, text in PAGES.items():
        with open(os.path.join(pages, name), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    units = load_units()
    for number in range(count):
        year, name, text = compose(number, seed, units)
        folder = os.path.join(content_dir, "articles", year)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


def main() -> None:
    """Write a synthetic site from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content_dir")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_site(args.content_dir, args.count, args.seed)


if __name__ == "__main__":
    main()
