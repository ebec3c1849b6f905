"""Templates of the lifecycle's later events (issue 14): the agency's stop (DVCQG 8) with its notice,
the financial obligation asked for (DVCQG 6) and its payment recorded.

Kept apart from catalogue.py only because that module is long; catalogue.TEMPLATES lists them like the
others, and the same rules hold (never edit a published version; append one).
"""
from __future__ import annotations

from motcua_shared.events.catalogue import payment, stop

from .model import Attachment, Template, Version

SAMPLE = {"code": "H52.126-190315-0001", "unit_name": "UBND huyện Sông Mã", "return_method": "counter"}

DOSSIER_STOPPED = Template(
    key="dossier_stopped",
    title="Thông báo dừng giải quyết hồ sơ",
    event_type=stop.DOSSIER_STOPPED,
    urgent=False,
    sample={**SAMPLE, "stopping_unit_name": "UBND huyện Sông Mã", "stopped_at": "10:00 ngày 19/03/2019",
            "ground": "Vụ việc đang được Tòa án hoặc cơ quan có thẩm quyền giải quyết",
            "reason": "Thửa đất đang có tranh chấp, Tòa án nhân dân huyện đã thụ lý vụ án."},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} đã bị dừng giải quyết. Lý do: xem thông báo dừng giải quyết hoặc liên hệ "
            "{{ unit_name }}. Tra cứu: {{ link }}",
        subject="Thông báo dừng giải quyết hồ sơ {{ code }}",
        email="""Kính gửi Ông/Bà,

{{ stopping_unit_name }} thông báo dừng giải quyết hồ sơ số {{ code }} từ {{ stopped_at }}.

Căn cứ: {{ ground }}.
Lý do: {{ reason }}

Trạng thái: Dừng xử lý. Ông/Bà liên hệ {{ unit_name }} để nhận lại hồ sơ đã nộp (nếu có).
Thông báo dừng giải quyết hồ sơ được gửi kèm thư này.

Tra cứu tình trạng hồ sơ: {{ link }}""",
        attachment=Attachment(
            filename="thong-bao-dung-giai-quyet-{{ code }}.html",
            title="Thông báo dừng giải quyết hồ sơ",
            body="""<p>{{ stopping_unit_name }} thông báo: dừng giải quyết hồ sơ số <strong>{{ code }}</strong>.</p>
<table>
<tr><th>Thời gian</th><td>{{ stopped_at }}</td></tr>
<tr><th>Căn cứ</th><td>{{ ground }}</td></tr>
<tr><th>Lý do</th><td>{{ reason }}</td></tr>
</table>
<p>Xin thông báo để Ông/Bà được biết.</p>""",
        ),
    ),),
)

PAYMENT_REQUESTED = Template(
    key="payment_requested",
    title="Yêu cầu thực hiện nghĩa vụ tài chính",
    event_type=payment.DOSSIER_PAYMENT_REQUESTED,
    urgent=False,
    sample={**SAMPLE, "amount": "500.000 đồng", "purpose": "Lệ phí trước bạ nhà, đất",
            "requested_at": "10:00 ngày 19/03/2019"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }}: đề nghị Ông/Bà nộp {{ amount }} ({{ purpose }}) để tiếp tục giải quyết. "
            "Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }}: yêu cầu thực hiện nghĩa vụ tài chính",
        email="""Kính gửi Ông/Bà,

Để tiếp tục giải quyết hồ sơ số {{ code }}, đề nghị Ông/Bà thực hiện nghĩa vụ tài chính sau (yêu cầu lúc {{ requested_at }}):

Khoản phải nộp: {{ purpose }}.
Số tiền: {{ amount }}.

Ông/Bà nộp tại {{ unit_name }} hoặc thanh toán trực tuyến (nếu thủ tục hỗ trợ) và giữ biên lai. Thời gian chờ Ông/Bà nộp không tính vào thời hạn giải quyết; hẹn trả kết quả sẽ được lùi tương ứng.

Trạng thái: Chờ thực hiện nghĩa vụ tài chính.

Tra cứu tình trạng hồ sơ: {{ link }}""",
    ),),
)

PAYMENT_RECEIVED = Template(
    key="payment_received",
    title="Đã ghi nhận việc thực hiện nghĩa vụ tài chính",
    event_type=payment.DOSSIER_PAID,
    urgent=False,
    sample={**SAMPLE, "amount": "500.000 đồng", "receipt_number": "BL-0001234", "due_at": "15:00 ngày 28/03/2019"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }}: đã nhận {{ amount }}, biên lai {{ receipt_number }}. Hẹn trả kết quả: {{ due_at }}. "
            "Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }}: đã ghi nhận nộp {{ amount }}",
        email="""Kính gửi Ông/Bà,

{{ unit_name }} đã ghi nhận Ông/Bà nộp {{ amount }} cho hồ sơ số {{ code }} (biên lai số {{ receipt_number }}); hồ sơ tiếp tục được giải quyết.

Trạng thái: Đang xử lý.
Thời gian hẹn trả kết quả: {{ due_at }}.

Tra cứu tình trạng hồ sơ: {{ link }}""",
    ),),
)
