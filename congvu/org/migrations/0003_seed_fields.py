"""Seeds the catalogue of fields (lĩnh vực) with stable codes.

The names follow the field lists of the national public-service portal (Cổng Dịch vụ công quốc gia)
and of the provincial departments after the 2025 reorganisation. Codes never change once published:
imports and other areas refer to them. An administrator can add fields later; this migration only
creates the ones that are missing and never renames or deletes."""

import unicodedata

from django.db import migrations

FIELDS = [
    # Đất đai, tài nguyên, môi trường
    ("dat-dai", "Đất đai"),
    ("tai-nguyen-nuoc", "Tài nguyên nước"),
    ("moi-truong", "Môi trường"),
    ("khoang-san", "Địa chất và khoáng sản"),
    ("bien-hai-dao", "Biển và hải đảo"),
    ("do-dac-ban-do", "Đo đạc, bản đồ và thông tin địa lý"),
    ("khi-tuong-thuy-van", "Khí tượng thủy văn"),
    # Xây dựng, giao thông
    ("xay-dung", "Xây dựng"),
    ("quy-hoach-kien-truc", "Quy hoạch - kiến trúc"),
    ("nha-o-bat-dong-san", "Nhà ở và thị trường bất động sản"),
    ("ha-tang-do-thi", "Hạ tầng kỹ thuật đô thị"),
    ("giao-thong", "Giao thông vận tải"),
    ("duong-bo", "Đường bộ"),
    ("duong-thuy", "Đường thủy nội địa"),
    # Tư pháp
    ("ho-tich", "Hộ tịch"),
    ("chung-thuc", "Chứng thực"),
    ("tu-phap", "Tư pháp"),
    ("nuoi-con-nuoi", "Nuôi con nuôi"),
    ("ly-lich-tu-phap", "Lý lịch tư pháp"),
    ("quoc-tich", "Quốc tịch"),
    ("tro-giup-phap-ly", "Trợ giúp pháp lý"),
    ("cong-chung", "Công chứng"),
    ("luat-su", "Luật sư"),
    ("hoa-giai-co-so", "Hòa giải ở cơ sở"),
    ("pho-bien-phap-luat", "Phổ biến, giáo dục pháp luật"),
    ("dang-ky-bien-phap-bao-dam", "Đăng ký biện pháp bảo đảm"),
    ("boi-thuong-nha-nuoc", "Bồi thường nhà nước"),
    # Kế hoạch, đầu tư, tài chính
    ("dau-tu", "Đầu tư tại Việt Nam"),
    ("dau-tu-cong", "Đầu tư công"),
    ("dang-ky-doanh-nghiep", "Thành lập và hoạt động của doanh nghiệp"),
    ("ho-kinh-doanh", "Hộ kinh doanh"),
    ("hop-tac-xa", "Kinh tế hợp tác, hợp tác xã"),
    ("tai-chinh-ngan-sach", "Tài chính - ngân sách"),
    ("quan-ly-cong-san", "Quản lý công sản"),
    ("quan-ly-gia", "Quản lý giá"),
    ("thue-phi-le-phi", "Thuế, phí, lệ phí"),
    ("thong-ke", "Thống kê"),
    # Công thương
    ("cong-thuong", "Công thương"),
    ("dien-nang-luong", "Điện, năng lượng"),
    ("thuong-mai", "Thương mại, lưu thông hàng hóa trong nước"),
    ("xuc-tien-thuong-mai", "Xúc tiến thương mại"),
    ("cong-nghiep-dia-phuong", "Công nghiệp địa phương"),
    ("an-toan-thuc-pham", "An toàn thực phẩm"),
    # Nông nghiệp
    ("nong-nghiep", "Nông nghiệp"),
    ("trong-trot", "Trồng trọt và bảo vệ thực vật"),
    ("chan-nuoi-thu-y", "Chăn nuôi và thú y"),
    ("thuy-san", "Thủy sản"),
    ("thuy-loi", "Thủy lợi"),
    ("lam-nghiep", "Lâm nghiệp"),
    ("phat-trien-nong-thon", "Phát triển nông thôn"),
    ("phong-chong-thien-tai", "Phòng, chống thiên tai"),
    # Giáo dục, y tế, xã hội
    ("giao-duc-dao-tao", "Giáo dục và Đào tạo"),
    ("giao-duc-nghe-nghiep", "Giáo dục nghề nghiệp"),
    ("y-te", "Y tế"),
    ("kham-chua-benh", "Khám bệnh, chữa bệnh"),
    ("y-te-du-phong", "Y tế dự phòng"),
    ("duoc-my-pham", "Dược, mỹ phẩm"),
    ("dan-so", "Dân số"),
    ("bao-tro-xa-hoi", "Bảo trợ xã hội"),
    ("tre-em", "Trẻ em"),
    ("nguoi-co-cong", "Người có công"),
    ("lao-dong-tien-luong", "Lao động, tiền lương"),
    ("viec-lam", "Việc làm"),
    ("an-toan-lao-dong", "An toàn, vệ sinh lao động"),
    ("bao-hiem-xa-hoi", "Bảo hiểm xã hội"),
    # Nội vụ
    ("noi-vu", "Nội vụ"),
    ("to-chuc-bo-may", "Tổ chức bộ máy"),
    ("cong-chuc-vien-chuc", "Công chức, viên chức"),
    ("chinh-quyen-dia-phuong", "Chính quyền địa phương"),
    ("dia-gioi-hanh-chinh", "Địa giới hành chính"),
    ("cai-cach-hanh-chinh", "Cải cách hành chính"),
    ("van-thu-luu-tru", "Văn thư, lưu trữ"),
    ("thi-dua-khen-thuong", "Thi đua, khen thưởng"),
    ("thanh-nien", "Thanh niên"),
    ("ton-giao", "Tôn giáo"),
    ("tin-nguong", "Tín ngưỡng"),
    ("dan-toc", "Công tác dân tộc"),
    # Văn hóa, thông tin
    ("van-hoa", "Văn hóa"),
    ("di-san-van-hoa", "Di sản văn hóa"),
    ("gia-dinh", "Gia đình"),
    ("the-duc-the-thao", "Thể dục, thể thao"),
    ("du-lich", "Du lịch"),
    ("bao-chi", "Báo chí"),
    ("xuat-ban", "Xuất bản, in và phát hành"),
    ("phat-thanh-truyen-hinh", "Phát thanh, truyền hình và thông tin điện tử"),
    ("thong-tin-co-so", "Thông tin cơ sở"),
    # Khoa học, công nghệ, chuyển đổi số
    ("khoa-hoc-cong-nghe", "Khoa học và công nghệ"),
    ("tieu-chuan-do-luong", "Tiêu chuẩn, đo lường, chất lượng"),
    ("so-huu-tri-tue", "Sở hữu trí tuệ"),
    ("buu-chinh", "Bưu chính"),
    ("vien-thong", "Viễn thông và Internet"),
    ("chuyen-doi-so", "Chuyển đổi số"),
    ("an-toan-thong-tin", "An toàn thông tin mạng"),
    # Thanh tra, văn phòng, đối ngoại
    ("thanh-tra", "Thanh tra"),
    ("giai-quyet-khieu-nai", "Giải quyết khiếu nại"),
    ("giai-quyet-to-cao", "Giải quyết tố cáo"),
    ("tiep-cong-dan", "Tiếp công dân"),
    ("phong-chong-tham-nhung", "Phòng, chống tham nhũng, tiêu cực"),
    ("kiem-soat-tthc", "Kiểm soát thủ tục hành chính"),
    ("mot-cua", "Một cửa, một cửa liên thông"),
    ("ngoai-vu", "Ngoại vụ"),
    ("quoc-phong-dia-phuong", "Quốc phòng, quân sự địa phương"),
]


def _fold(value: str) -> str:
    # Frozen copy of congvu.core.text.fold as it was when this migration was written.
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def seed(apps, schema_editor):
    Field = apps.get_model("org", "Field")
    existing = set(Field.objects.values_list("code", flat=True))
    Field.objects.bulk_create(
        [Field(code=code, name=name, name_folded=_fold(name)) for code, name in FIELDS if code not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0002_refine_appointments_officials")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
