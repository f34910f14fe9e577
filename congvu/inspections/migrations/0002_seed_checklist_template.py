"""Seeds version 1 of the public-service inspection checklist: the usual annual content (DOMAIN §2)
and the in-depth head/deputy content of directive 5712/UBND-NC (DOMAIN §1).

The content is written out here (not imported from the app) so this migration never changes."""

from django.db import migrations

CODE = "KTCV"
TITLE = "Phiếu kiểm tra công vụ (nội dung thường niên và chuyên sâu theo Công văn 5712/UBND-NC)"

SECTIONS = [
    (
        "I. Chấp hành kỷ luật, kỷ cương hành chính",
        "unit",
        [
            ("Chấp hành thời giờ làm việc; hiện diện tại vị trí làm việc trong giờ hành chính", "", ""),
            ("Đeo thẻ công chức, viên chức; trang phục khi thi hành công vụ", "", ""),
            (
                "Không uống rượu, bia trong giờ làm việc, giờ nghỉ trưa của ngày làm việc; "
                "không hút thuốc lá tại nơi làm việc",
                "",
                "",
            ),
            ("Lịch công tác của cơ quan, lãnh đạo được xây dựng, công khai và thực hiện", "", ""),
        ],
    ),
    (
        "II. Bộ phận Một cửa và công khai thủ tục hành chính",
        "unit",
        [
            ("Bố trí Bộ phận Một cửa: địa điểm, trang thiết bị, công chức làm việc", "", ""),
            ("Niêm yết, công khai đầy đủ, đúng quy định các thủ tục hành chính", "", ""),
        ],
    ),
    (
        "III. Hồ sơ, tác phong và giải quyết công việc",
        "unit",
        [
            ("Sắp xếp, lưu trữ hồ sơ, tài liệu ngăn nắp, gọn gàng", "", ""),
            ("Thái độ, tác phong, văn hóa giao tiếp với người dân, doanh nghiệp", "", ""),
            ("Giải quyết công việc của cơ quan, tổ chức, cá nhân đúng quy trình, đúng hạn", "", ""),
        ],
    ),
    (
        "IV. Kiểm tra chuyên sâu việc thực hiện nhiệm vụ được giao (Công văn 5712/UBND-NC)",
        "leader",
        [
            (
                "Triển khai, thực hiện nhiệm vụ được giao: hoàn thành đúng hạn, quá hạn, đang thực hiện",
                "Số liệu chốt theo bốn nhóm (Quyết định 42/2014/QĐ-TTg) và số ngày làm việc chậm.",
                "tasks_progress",
            ),
            (
                "Thời gian xử lý công việc: tiếp nhận → xử lý → tham mưu",
                "Bình quân số ngày làm việc giữa các bước.",
                "tasks_stages",
            ),
            (
                "Chất lượng công việc được cấp có thẩm quyền giao",
                "Sản phẩm đạt, không đạt, bị trả lại để chỉnh sửa.",
                "tasks_quality",
            ),
            (
                "Tính chủ động tham mưu UBND tỉnh các nội dung Trung ương, Ban Thường vụ, "
                "Thường trực Tỉnh ủy giao",
                "Nhiệm vụ do Trung ương và do Ban Thường vụ / Thường trực Tỉnh ủy giao được thống kê riêng.",
                "tasks_proactive",
            ),
            (
                "Tham mưu văn bản quy phạm pháp luật và nội dung trình HĐND tỉnh",
                "",
                "legal_documents",
            ),
            (
                "Giải quyết hồ sơ thủ tục hành chính thuộc lĩnh vực phụ trách",
                "Theo lĩnh vực được phân công (cấp phó) hoặc toàn đơn vị (người đứng đầu).",
                "dossiers",
            ),
            (
                "Kiểm tra ngẫu nhiên hồ sơ cụ thể trên từng lĩnh vực",
                "Kết quả chọn mẫu hồ sơ; sai sót được ghi thành phát hiện.",
                "",
            ),
        ],
    ),
]


def seed(apps, schema_editor):
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Section = apps.get_model("inspections", "ChecklistSection")
    Item = apps.get_model("inspections", "ChecklistTemplateItem")
    if Template.objects.filter(code=CODE, version=1).exists():
        return
    template = Template.objects.create(code=CODE, version=1, title=TITLE, is_active=True)
    for s_order, (title, subject, items) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(template=template, order=s_order, title=title, subject=subject)
        for i_order, (text, guidance, metric) in enumerate(items, start=1):
            Item.objects.create(section=section, order=i_order, text=text, guidance=guidance, metric=metric)


def unseed(apps, schema_editor):
    apps.get_model("inspections", "ChecklistTemplate").objects.filter(code=CODE, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
