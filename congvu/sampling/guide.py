"""The public description of how to verify a draw without this software (hướng dẫn kiểm chứng):
shown on a page and written into the sample's Excel export. Vietnamese, with one English line."""

from __future__ import annotations

from django.utils.translation import gettext as _

from congvu.sampling.draw import NO_FIELD, PROCEDURE

ENGLISH = (
    "To verify: check that SHA-256 of the seed's 64 hex characters equals the commitment published "
    "before the draw and that SHA-256 of the population file equals the published hash; then rank each "
    "field's records by HMAC-SHA256(key = seed as ASCII text, message = record code as UTF-8), lowest "
    "hex value first, and take the first n of each field."
)


def steps(sample=None) -> list[tuple[str, str]]:
    """(explanation, command or value) pairs; with a drawn sample, its own values are filled in."""
    seed = sample.revealed_seed if sample is not None else ""
    commitment = sample.seed_commitment if sample is not None else "…"
    population_hash = (sample.population_sha256 if sample is not None and sample.is_drawn else "") or "…"
    placeholder = _("HẠT_GIỐNG")  # the seed's place in the commands, before it is revealed
    seed_shown = seed or f"<{placeholder}>"
    file_name = population_file_name(sample)
    return [
        (
            _(
                "1. Trước khi rút mẫu, hệ thống tạo một hạt giống bí mật gồm 64 ký tự hệ 16 và chỉ "
                "công bố mã cam kết của nó (SHA-256 của 64 ký tự đó). Mã cam kết được ghi vào thông báo "
                "hoặc biên bản:"
            ),
            commitment,
        ),
        (
            _(
                "2. Khi rút mẫu, danh sách tổng thể được cố định: mỗi dòng là “MÃ_LĨNH_VỰC<TAB>MÃ_HỒ_SƠ”, "
                "sắp xếp theo mã lĩnh vực rồi mã hồ sơ theo thứ tự byte UTF-8 (như lệnh LC_ALL=C sort), mỗi "
                "dòng kết thúc bằng ký tự xuống dòng; “%(none)s” là hồ sơ chưa có lĩnh vực. Tải tệp danh "
                "sách và kiểm tra mã băm của nó bằng lệnh dưới đây; kết quả phải là:"
            )
            % {"none": NO_FIELD},
            population_hash,
        ),
        ("", f"sha256sum {file_name}"),
        (
            _("3. Sau khi rút mẫu, hạt giống được công bố. Kiểm tra hạt giống khớp với mã cam kết ở bước 1:"),
            f"printf '%s' '{seed_shown}' | sha256sum",
        ),
        (
            _(
                "4. Giá trị xếp hạng của mỗi hồ sơ là HMAC-SHA256 với khóa là hạt giống (64 ký tự) và thông "
                "điệp là mã hồ sơ (UTF-8), viết bằng 64 ký tự hệ 16 chữ thường. Ví dụ với mã HS-0001:"
            ),
            f"printf '%s' 'HS-0001' | openssl dgst -sha256 -hmac '{seed_shown}'",
        ),
        (
            _("Tính cho cả danh sách (mỗi dòng kết quả: lĩnh vực, giá trị xếp hạng, mã hồ sơ), đã sắp xếp:"),
            "while IFS=$'\\t' read -r f c; do "
            'printf \'%s\\t%s\\t%s\\n\' "$f" "$(printf \'%s\' "$c" | openssl dgst -sha256 -hmac '
            f"'{seed_shown}' | awk '{{print $NF}}')\" \"$c\"; "
            f"done < {file_name} | LC_ALL=C sort -t$'\\t' -k1,1 -k2,2 > xep-hang.txt",
        ),
        (
            _(
                "5. Trong mỗi lĩnh vực, sắp xếp hồ sơ theo giá trị xếp hạng tăng dần (có thể dán vào "
                "bảng tính và dùng chức năng sắp xếp theo cột lĩnh vực rồi cột giá trị xếp hạng); n hồ sơ "
                "đầu tiên của lĩnh vực là mẫu của lĩnh vực đó, với n là cỡ mẫu đã công bố. Khi mẫu được mở "
                "rộng, các hồ sơ tiếp theo trong cùng thứ tự được thêm vào; các hồ sơ đã chọn giữ nguyên."
            ),
            "",
        ),
        (
            _(
                "Không dùng bộ sinh số ngẫu nhiên nào: kết quả chỉ phụ thuộc hạt giống và danh sách "
                "tổng thể. Thủ tục:"
            ),
            PROCEDURE,
        ),
    ]


def population_file_name(sample=None) -> str:
    return f"tong-the-mau-{sample.pk}.txt" if sample is not None else "tong-the.txt"
