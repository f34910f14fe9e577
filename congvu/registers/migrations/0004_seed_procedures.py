"""Seeds the procedure catalogue (danh mục TTHC) with the procedures the demo province uses, each
with its field. Administrators add and correct entries on the catalogue page; this migration only
creates names that are missing and never renames or deletes."""

from django.db import migrations

from congvu.core.text import fold

PROCEDURES = [
    ('an-toan-thuc-pham', 'Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm'),
    ('bao-tro-xa-hoi', 'Hỗ trợ chi phí mai táng'),
    ('bao-tro-xa-hoi', 'Trợ cấp xã hội hằng tháng'),
    ('chan-nuoi-thu-y', 'Cấp giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi tỉnh'),
    ('chung-thuc', 'Chứng thực bản sao từ bản chính'),
    ('chung-thuc', 'Chứng thực chữ ký trong giấy tờ, văn bản'),
    ('chung-thuc', 'Chứng thực hợp đồng, giao dịch'),
    ('cong-chuc-vien-chuc', 'Thi tuyển công chức'),
    ('cong-chuc-vien-chuc', 'Tiếp nhận vào làm công chức'),
    ('dang-ky-doanh-nghiep', 'Thông báo tạm ngừng kinh doanh'),
    ('dang-ky-doanh-nghiep', 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp'),
    ('dang-ky-doanh-nghiep', 'Đăng ký thành lập doanh nghiệp'),
    ('dat-dai', 'Chuyển mục đích sử dụng đất'),
    ('dat-dai', 'Cấp Giấy chứng nhận quyền sử dụng đất lần đầu'),
    ('dat-dai', 'Cấp đổi Giấy chứng nhận quyền sử dụng đất'),
    ('dat-dai', 'Tách thửa hoặc hợp thửa đất'),
    ('dat-dai', 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất'),
    ('dau-tu', 'Quyết định chủ trương đầu tư dự án'),
    ('dau-tu', 'Điều chỉnh giấy chứng nhận đăng ký đầu tư'),
    ('du-lich', 'Công nhận hạng cơ sở lưu trú du lịch'),
    ('du-lich', 'Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa'),
    ('duong-bo', 'Cấp giấy phép lái xe'),
    ('duong-bo', 'Cấp phép thi công công trình trên đường bộ đang khai thác'),
    ('duong-thuy', 'Cấp giấy phép hoạt động bến thủy nội địa'),
    ('duong-thuy', 'Đăng ký phương tiện thủy nội địa lần đầu'),
    ('giao-duc-dao-tao', 'Cho phép thành lập trường mầm non tư thục'),
    ('giao-duc-dao-tao', 'Công nhận trường đạt chuẩn quốc gia'),
    ('giao-thong', 'Cấp giấy phép lưu hành xe quá tải trọng'),
    ('giao-thong', 'Cấp phù hiệu xe kinh doanh vận tải'),
    ('ha-tang-do-thi', 'Cấp giấy phép chặt hạ, dịch chuyển cây xanh'),
    ('ha-tang-do-thi', 'Thỏa thuận đấu nối hạ tầng kỹ thuật'),
    ('ho-kinh-doanh', 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh'),
    ('ho-kinh-doanh', 'Đăng ký thành lập hộ kinh doanh'),
    ('ho-tich', 'Cấp giấy xác nhận tình trạng hôn nhân'),
    ('ho-tich', 'Trích lục hộ tịch'),
    ('ho-tich', 'Đăng ký khai sinh'),
    ('ho-tich', 'Đăng ký khai tử'),
    ('ho-tich', 'Đăng ký kết hôn'),
    ('kham-chua-benh', 'Cấp giấy phép hành nghề khám bệnh, chữa bệnh'),
    ('lao-dong-tien-luong', 'Gia hạn giấy phép lao động cho người nước ngoài'),
    ('lao-dong-tien-luong', 'Đăng ký nội quy lao động'),
    ('ly-lich-tu-phap', 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam'),
    ('moi-truong', 'Cấp giấy phép môi trường'),
    ('moi-truong', 'Đăng ký môi trường'),
    ('nguoi-co-cong', 'Giải quyết chế độ trợ cấp ưu đãi người có công'),
    ('nha-o-bat-dong-san', 'Cấp chứng chỉ hành nghề môi giới bất động sản'),
    ('nha-o-bat-dong-san', 'Thẩm định giá bán nhà ở xã hội'),
    ('quy-hoach-kien-truc', 'Cấp chứng chỉ hành nghề kiến trúc'),
    ('quy-hoach-kien-truc', 'Thẩm định nhiệm vụ, đồ án quy hoạch chi tiết'),
    ('tai-chinh-ngan-sach', 'Cấp mã số đơn vị có quan hệ với ngân sách'),
    ('tai-chinh-ngan-sach', 'Thẩm tra quyết toán dự án hoàn thành'),
    ('thi-dua-khen-thuong', 'Tặng Bằng khen của Chủ tịch UBND tỉnh'),
    ('thi-dua-khen-thuong', 'Tặng Giấy khen của Chủ tịch UBND cấp xã'),
    ('thuy-san', 'Cấp giấy phép khai thác thủy sản'),
    ('thuy-san', 'Đăng ký tàu cá'),
    ('trong-trot', 'Cấp giấy chứng nhận đủ điều kiện buôn bán phân bón'),
    ('van-hoa', 'Cấp giấy phép kinh doanh karaoke'),
    ('van-hoa', 'Cấp giấy phép tổ chức lễ hội'),
    ('xay-dung', 'Cấp giấy phép xây dựng công trình'),
    ('xay-dung', 'Cấp giấy phép xây dựng nhà ở riêng lẻ'),
    ('xay-dung', 'Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng'),
    ('xay-dung', 'Điều chỉnh giấy phép xây dựng'),
]


def seed(apps, schema_editor):
    Field = apps.get_model("org", "Field")
    Procedure = apps.get_model("registers", "Procedure")
    fields = dict(Field.objects.values_list("code", "id"))
    known = set(Procedure.objects.values_list("name_folded", flat=True))
    Procedure.objects.bulk_create(
        Procedure(name=name, name_folded=fold(name), field_id=fields[code])
        for code, name in PROCEDURES
        if code in fields and fold(name) not in known
    )


class Migration(migrations.Migration):
    dependencies = [("registers", "0003_official_forms"), ("org", "0003_seed_fields")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
