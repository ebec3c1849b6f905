"""The Vietnamese templates, one per event a citizen cares about.

Every text carries the dossier code, the status in plain words and the lookup link, and nothing else
about the person: no name, no identity number, no address. SMS texts are written with diacritics and
folded to ASCII when sent (see sms.py). Forms attached to e-mails follow the titles of Circular
01/2018/TT-VPCP (Mẫu 01–04); they are electronic copies for the citizen's information, not the
signed documents.

To change a text, append a new Version to its template; never edit a published one.
"""
from __future__ import annotations

from motcua_shared.events.catalogue import dossier, reschedule, route, shipment

from .model import Attachment, Template, Version
# The lifecycle's stop and financial obligation (issue 14), kept in their own module.
from .lifecycle import DOSSIER_STOPPED, PAYMENT_RECEIVED, PAYMENT_REQUESTED

# Values every template may use: the dossier's code, its receiving desk and how the result is returned.
DOSSIER_SAMPLE = {"code": "H52.04222-190315-0001", "unit_name": "UBND xã Chiềng Khương", "return_method": "counter"}

RETURN_METHOD_PHRASES = {
    "return.counter": "Nhận trực tiếp tại bộ phận một cửa {{ unit_name }}",
    "return.postal": "Nhận qua dịch vụ bưu chính công ích",
    "return.online": "Nhận trực tuyến",
}

DOSSIER_SUBMITTED = Template(
    key="dossier_submitted",
    title="Hồ sơ đã được gửi trực tuyến hoặc qua bưu chính, đang chờ tiếp nhận",
    event_type=dossier.DOSSIER_SUBMITTED,
    urgent=True,
    sample={**DOSSIER_SAMPLE, "submitted_at": "08:10 ngày 15/03/2019",
            "procedure_name": "Cấp Giấy xác nhận tình trạng hôn nhân", "channel": "online"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} đã được gửi đến {{ unit_name }}, đang chờ tiếp nhận. Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} đã được gửi, đang chờ tiếp nhận",
        email="""Kính gửi Ông/Bà,

Hồ sơ số {{ code }} ({{ procedure_name }}) đã được gửi {% if channel == 'postal' %}qua bưu chính{% else %}trực tuyến{% endif %} đến {{ unit_name }} lúc {{ submitted_at }}.

Trạng thái: Mới đăng ký, chờ tiếp nhận. Cán bộ một cửa sẽ kiểm tra hồ sơ và thông báo kết quả tiếp nhận cho Ông/Bà.

Tra cứu tình trạng hồ sơ: {{ link }}""",
    ), Version(
        # v2: an address the citizen typed (contacts.py) gets this receipt only, until confirmed; the
        # link to confirm it is in the e-mail (the SMS has no room for a second link in one segment).
        number=2,
        sms="Hồ sơ {{ code }} đã được gửi đến {{ unit_name }}, đang chờ tiếp nhận. Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} đã được gửi, đang chờ tiếp nhận",
        email="""Kính gửi Ông/Bà,

Hồ sơ số {{ code }} ({{ procedure_name }}) đã được gửi {% if channel == 'postal' %}qua bưu chính{% else %}trực tuyến{% endif %} đến {{ unit_name }} lúc {{ submitted_at }}.

Trạng thái: Mới đăng ký, chờ tiếp nhận. Cán bộ một cửa sẽ kiểm tra hồ sơ và thông báo kết quả tiếp nhận cho Ông/Bà.
{% if confirm_link is defined %}

Để nhận các thông báo tiếp theo về hồ sơ qua địa chỉ thư này, Ông/Bà vui lòng xác nhận địa chỉ: {{ confirm_link }}
Nếu Ông/Bà không nộp hồ sơ này, hãy bỏ qua thư: địa chỉ này sẽ không nhận thông báo nào khác về hồ sơ.
{% endif %}

Tra cứu tình trạng hồ sơ: {{ link }}""",
    )),
)

DOSSIER_RECEIVED = Template(
    key="dossier_received",
    title="Hồ sơ đã được tiếp nhận, có giấy tiếp nhận và hẹn trả kết quả",
    event_type=dossier.DOSSIER_RECEIVED,
    urgent=True,
    sample={**DOSSIER_SAMPLE, "received_at": "08:30 ngày 15/03/2019", "due_at": "08:30 ngày 20/03/2019",
            "procedure_code": "1.004873", "procedure_name": "Cấp Giấy xác nhận tình trạng hôn nhân",
            "fee": "Không thu phí, lệ phí"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} đã được tiếp nhận. Hẹn trả kết quả: {{ due_at }}. Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} đã được tiếp nhận, hẹn trả kết quả {{ due_at }}",
        email="""Kính gửi Ông/Bà,

Hồ sơ số {{ code }} ({{ procedure_name }}) đã được {{ unit_name }} tiếp nhận lúc {{ received_at }}.

Trạng thái: Đã tiếp nhận.
Thời gian hẹn trả kết quả: {{ due_at }}.
Hình thức nhận kết quả: {{ phrases['return.' ~ return_method] }}.

Giấy tiếp nhận hồ sơ và hẹn trả kết quả được gửi kèm thư này.

Tra cứu tình trạng hồ sơ: {{ link }}""",
        attachment=Attachment(
            filename="giay-tiep-nhan-{{ code }}.html",
            title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            body="""<table>
<tr><th>Mã hồ sơ</th><td>{{ code }}</td></tr>
<tr><th>Thủ tục</th><td>{{ procedure_name }} ({{ procedure_code }})</td></tr>
<tr><th>Cơ quan tiếp nhận</th><td>{{ unit_name }}</td></tr>
<tr><th>Thời gian tiếp nhận</th><td>{{ received_at }}</td></tr>
<tr><th>Thời gian hẹn trả kết quả</th><td>{{ due_at }}</td></tr>
<tr><th>Hình thức nhận kết quả</th><td>{{ phrases['return.' ~ return_method] }}</td></tr>
<tr><th>Phí, lệ phí</th><td>{{ fee }}</td></tr>
</table>
<p>Khi đến nhận kết quả, Ông/Bà mang theo giấy này (bản in hoặc trên điện thoại) và giấy tờ tùy thân.</p>""",
        ),
        phrases=RETURN_METHOD_PHRASES,
    ),),
)

DOSSIER_REFUSED = Template(
    key="dossier_refused",
    title="Hồ sơ không được tiếp nhận giải quyết",
    event_type=dossier.DOSSIER_REFUSED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "refused_at": "09:00 ngày 15/03/2019",
            "reason": "Hồ sơ không thuộc trường hợp được giải quyết theo quy định."},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} không được tiếp nhận giải quyết. Lý do: xem thư điện tử hoặc liên hệ {{ unit_name }}. "
            "Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} không được tiếp nhận giải quyết",
        email="""Kính gửi Ông/Bà,

{{ unit_name }} thông báo hồ sơ số {{ code }} không được tiếp nhận giải quyết ({{ refused_at }}).

Lý do: {{ reason }}

Trạng thái: Không được tiếp nhận.
Phiếu từ chối tiếp nhận giải quyết hồ sơ được gửi kèm thư này.

Tra cứu tình trạng hồ sơ: {{ link }}""",
        attachment=Attachment(
            filename="phieu-tu-choi-{{ code }}.html",
            title="Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            body="""<p>{{ unit_name }} thông báo: hồ sơ số <strong>{{ code }}</strong> không được tiếp nhận giải quyết.</p>
<table>
<tr><th>Thời gian</th><td>{{ refused_at }}</td></tr>
<tr><th>Lý do</th><td>{{ reason }}</td></tr>
</table>
<p>Xin thông báo để Ông/Bà được biết và thực hiện.</p>""",
        ),
    ),),
)

DOSSIER_REDIRECTED = Template(
    key="dossier_redirected",
    title="Hồ sơ không thuộc thẩm quyền, hướng dẫn nộp tại cơ quan có thẩm quyền",
    event_type=dossier.DOSSIER_REDIRECTED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "competent_unit_name": "UBND huyện Sông Mã",
            "reason": "Thủ tục thuộc thẩm quyền giải quyết của UBND huyện."},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} không thuộc thẩm quyền của {{ unit_name }}. Đề nghị Ông/Bà nộp tại "
            "{{ competent_unit_name }}. Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }}: đề nghị nộp tại {{ competent_unit_name }}",
        email="""Kính gửi Ông/Bà,

Hồ sơ số {{ code }} không thuộc thẩm quyền giải quyết của {{ unit_name }}.

Lý do: {{ reason }}

Trạng thái: Không thuộc thẩm quyền tiếp nhận. Đề nghị Ông/Bà nộp hồ sơ tại {{ competent_unit_name }}.

Tra cứu tình trạng hồ sơ: {{ link }}""",
    ),),
)

SUPPLEMENT_REQUESTED = Template(
    key="supplement_requested",
    title="Hồ sơ cần bổ sung, hoàn thiện",
    event_type=dossier.DOSSIER_SUPPLEMENT_REQUESTED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "requested_at": "10:00 ngày 16/03/2019", "items": ["Bản sao Giấy khai sinh"],
            "note": "Thiếu bản sao Giấy khai sinh có chứng thực."},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} cần bổ sung giấy tờ. Đề nghị Ông/Bà xem hướng dẫn và bổ sung tại {{ unit_name }}. "
            "Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} cần bổ sung, hoàn thiện",
        email="""Kính gửi Ông/Bà,

Để tiếp tục giải quyết hồ sơ số {{ code }}, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ tại {{ unit_name }}.

{% if items %}
Giấy tờ cần bổ sung:
{% for item in items %}
- {{ item }}
{% endfor %}
{% endif %}

Hướng dẫn: {{ note }}

Trạng thái: Yêu cầu bổ sung giấy tờ. Thời gian giải quyết tạm dừng cho đến khi nhận đủ giấy tờ bổ sung.
Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ được gửi kèm thư này.

Tra cứu tình trạng hồ sơ: {{ link }}""",
        attachment=Attachment(
            filename="phieu-yeu-cau-bo-sung-{{ code }}.html",
            title="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            body="""<p>Hồ sơ số <strong>{{ code }}</strong> cần được bổ sung, hoàn thiện ({{ requested_at }}).</p>
{% if items %}<p>Giấy tờ cần bổ sung:</p>
<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}
<p>Hướng dẫn: {{ note }}</p>
<p>Ông/Bà bổ sung hồ sơ tại {{ unit_name }}. Thời gian giải quyết tạm dừng cho đến khi nhận đủ giấy tờ bổ sung.</p>""",
        ),
    ),),
)

SUPPLEMENT_RECEIVED = Template(
    key="supplement_received",
    title="Đã nhận giấy tờ bổ sung, hồ sơ tiếp tục được giải quyết",
    event_type=dossier.DOSSIER_SUPPLEMENT_RECEIVED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "due_at": "08:30 ngày 22/03/2019"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} đã được bổ sung và tiếp tục giải quyết. Hẹn trả kết quả: {{ due_at }}. "
            "Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} đã được bổ sung, hẹn trả kết quả {{ due_at }}",
        email="""Kính gửi Ông/Bà,

{{ unit_name }} đã nhận giấy tờ bổ sung của hồ sơ số {{ code }}; hồ sơ tiếp tục được giải quyết.

Trạng thái: Đang xử lý.
Thời gian hẹn trả kết quả: {{ due_at }}.

Tra cứu tình trạng hồ sơ: {{ link }}""",
    ),),
)

DOSSIER_WITHDRAWN = Template(
    key="dossier_withdrawn",
    title="Hồ sơ đã được rút theo đề nghị của công dân",
    event_type=dossier.DOSSIER_WITHDRAWN,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "withdrawn_at": "14:00 ngày 18/03/2019"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} đã được rút theo đề nghị của Ông/Bà và dừng giải quyết. Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} đã được rút",
        email="""Kính gửi Ông/Bà,

Theo đề nghị của Ông/Bà, hồ sơ số {{ code }} đã được rút lúc {{ withdrawn_at }} và dừng giải quyết.

Trạng thái: Dừng xử lý. Ông/Bà liên hệ {{ unit_name }} để nhận lại giấy tờ đã nộp (nếu có).

Tra cứu tình trạng hồ sơ: {{ link }}""",
    ),),
)

RESULT_READY = Template(
    key="result_ready",
    title="Hồ sơ đã có kết quả",
    event_type=dossier.DOSSIER_PROCESSED,
    urgent=False,
    sample={**DOSSIER_SAMPLE},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} đã có kết quả. {{ phrases['collect.' ~ return_method] }}. Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} đã có kết quả",
        email="""Kính gửi Ông/Bà,

Hồ sơ số {{ code }} đã được giải quyết xong và có kết quả.

Trạng thái: Đã có kết quả, chờ trả.
{{ phrases['collect.' ~ return_method] }}.{% if return_method == 'counter' %} Khi đến nhận, Ông/Bà mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả và giấy tờ tùy thân.{% endif %}

Tra cứu tình trạng hồ sơ: {{ link }}""",
        phrases={
            "collect.counter": "Mời Ông/Bà đến nhận tại {{ unit_name }}",
            "collect.postal": "Kết quả sẽ được gửi đến Ông/Bà qua bưu điện",
            "collect.online": "Ông/Bà nhận kết quả trực tuyến qua trang tra cứu",
        },
    ),),
)

RESULT_RETURNED = Template(
    key="result_returned",
    title="Đã trả kết quả cho công dân",
    event_type=dossier.DOSSIER_RETURNED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "method": "counter", "returned_at": "09:15 ngày 20/03/2019"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} đã trả kết quả{{ phrases['by.' ~ method] }}. Cảm ơn Ông/Bà. Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }} đã trả kết quả",
        email="""Kính gửi Ông/Bà,

Kết quả giải quyết hồ sơ số {{ code }} đã được trả cho Ông/Bà{{ phrases['by.' ~ method] }} lúc {{ returned_at }}.

Trạng thái: Đã trả kết quả. Cảm ơn Ông/Bà đã sử dụng dịch vụ.

Tra cứu tình trạng hồ sơ: {{ link }}""",
        phrases={"by.counter": " tại bộ phận một cửa", "by.postal": " qua bưu điện", "by.online": " trực tuyến"},
    ),),
)

APOLOGY_ISSUED = Template(
    key="apology_issued",
    title="Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    event_type=route.APOLOGY_ISSUED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "issuing_unit_name": "UBND xã Chiềng Khương", "original_due_at": "08:30 ngày 20/03/2019",
            "new_due_at": "08:30 ngày 22/03/2019", "reason": "Cần xác minh thêm thông tin.",
            "issued_at": "08:30 ngày 19/03/2019"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} chưa thể trả kết quả đúng hẹn. {{ issuing_unit_name }} xin lỗi Ông/Bà và hẹn lại: "
            "{{ new_due_at }}. Tra cứu: {{ link }}",
        subject="Phiếu xin lỗi và hẹn lại ngày trả kết quả - hồ sơ {{ code }}",
        email="""Kính gửi Ông/Bà,

{{ issuing_unit_name }} chân thành xin lỗi Ông/Bà vì hồ sơ số {{ code }} chưa được giải quyết xong theo thời gian hẹn {{ original_due_at }}.

Lý do: {{ reason }}

Trạng thái: Đang xử lý.
Thời gian hẹn trả kết quả mới: {{ new_due_at }}.
Phiếu xin lỗi và hẹn lại ngày trả kết quả được gửi kèm thư này.

Tra cứu tình trạng hồ sơ: {{ link }}""",
        attachment=Attachment(
            filename="phieu-xin-loi-{{ code }}.html",
            title="Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            body="""<p>{{ issuing_unit_name }} xin lỗi Ông/Bà: hồ sơ số <strong>{{ code }}</strong> chưa được giải quyết xong theo thời gian hẹn.</p>
<table>
<tr><th>Thời gian hẹn trả kết quả ban đầu</th><td>{{ original_due_at }}</td></tr>
<tr><th>Lý do</th><td>{{ reason }}</td></tr>
<tr><th>Thời gian hẹn trả kết quả mới</th><td>{{ new_due_at }}</td></tr>
<tr><th>Ngày lập phiếu</th><td>{{ issued_at }}</td></tr>
</table>
<p>Mong Ông/Bà thông cảm vì sự chậm trễ này.</p>""",
        ),
    ),),
)

SHIPMENT_CREATED = Template(
    key="shipment_created",
    title="Chuyển phát qua bưu điện: bưu gửi được tạo",
    event_type=shipment.SHIPMENT_CREATED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "direction": "result_to_citizen", "deliver_by": "16:05 ngày 21/03/2019"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }}: {{ phrases[direction] }}. Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }}: {{ phrases[direction] }}",
        email="""Kính gửi Ông/Bà,

Hồ sơ số {{ code }}: {{ phrases[direction] }}.

Trạng thái: {% if direction == 'result_to_citizen' %}Đã có kết quả, đang chuyển phát qua bưu điện{% else %}Chờ bưu điện chuyển hồ sơ đến cơ quan{% endif %}.

Tra cứu tình trạng hồ sơ: {{ link }}""",
        phrases={
            "result_to_citizen": "kết quả đã được giao cho bưu điện để gửi đến Ông/Bà, dự kiến trước {{ deliver_by }}",
            "dossier_to_office": "bưu điện sẽ đến nhận hồ sơ của Ông/Bà để chuyển đến {{ unit_name }}",
        },
    ),),
)

SHIPMENT_PROGRESSED = Template(
    key="shipment_progressed",
    title="Chuyển phát qua bưu điện: tiến độ",
    event_type=shipment.SHIPMENT_PROGRESSED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "direction": "result_to_citizen", "status": "picked_up",
            "tracking_number": "EB123456789VN"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }}: {{ phrases[direction ~ '.' ~ status] }}.{% if tracking_number %} Mã bưu gửi "
            "{{ tracking_number }}.{% endif %} Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }}: cập nhật chuyển phát qua bưu điện",
        email="""Kính gửi Ông/Bà,

Hồ sơ số {{ code }}: cập nhật việc chuyển phát qua bưu điện.

Trạng thái chuyển phát: {{ phrases[direction ~ '.' ~ status] }}.
{% if tracking_number %}Mã bưu gửi: {{ tracking_number }}.
{% endif %}

Tra cứu tình trạng hồ sơ: {{ link }}""",
        phrases={
            "result_to_citizen.picked_up": "bưu điện đã nhận kết quả và đang chuyển đến Ông/Bà",
            "result_to_citizen.delivered": "bưu điện đã giao kết quả cho Ông/Bà",
            "result_to_citizen.failed": "bưu điện chưa giao được kết quả, bưu tá sẽ liên hệ lại với Ông/Bà",
            "result_to_citizen.returned": "bưu điện không giao được kết quả và đã chuyển trả về cơ quan; "
                                          "đề nghị Ông/Bà liên hệ {{ unit_name }}",
            "result_to_citizen.cancelled": "việc gửi kết quả qua bưu điện đã được hủy; đề nghị Ông/Bà liên hệ "
                                           "{{ unit_name }}",
            "dossier_to_office.picked_up": "bưu điện đã nhận hồ sơ của Ông/Bà để chuyển đến {{ unit_name }}",
            "dossier_to_office.delivered": "bưu điện đã chuyển hồ sơ của Ông/Bà đến {{ unit_name }}",
            "dossier_to_office.failed": "bưu điện chưa nhận được hồ sơ, bưu tá sẽ liên hệ lại với Ông/Bà",
            "dossier_to_office.returned": "bưu điện đã chuyển trả hồ sơ cho Ông/Bà",
            "dossier_to_office.cancelled": "việc nhận hồ sơ qua bưu điện đã được hủy",
        },
    ),),
)

DOSSIER_RESCHEDULED = Template(
    key="dossier_rescheduled",
    title="Hẹn lại ngày trả kết quả do ngày nghỉ mới được công bố",
    event_type=reschedule.DOSSIER_RESCHEDULED,
    urgent=False,
    sample={**DOSSIER_SAMPLE, "day": "10/12/2026", "note": "Nghỉ theo Quyết định 12/QĐ-UBND",
            "previous_due_at": "09:00 ngày 11/12/2026", "due_at": "09:00 ngày 14/12/2026"},
    versions=(Version(
        number=1,
        sms="Hồ sơ {{ code }} hẹn trả kết quả mới: {{ due_at }}, do ngày {{ day }} được công bố là ngày nghỉ. "
            "Tra cứu: {{ link }}",
        subject="Hồ sơ {{ code }}: hẹn trả kết quả mới {{ due_at }}",
        email="""Kính gửi Ông/Bà,

Ngày {{ day }} đã được công bố là ngày nghỉ ({{ note }}). Thời gian giải quyết hồ sơ tính theo ngày làm việc, nên thời gian hẹn trả kết quả của hồ sơ số {{ code }} được lùi lại tương ứng.

Thời gian hẹn trả kết quả trước đây: {{ previous_due_at }}.
Thời gian hẹn trả kết quả mới: {{ due_at }}.

Trạng thái: Đang xử lý.

Tra cứu tình trạng hồ sơ: {{ link }}""",
    ),),
)

TEMPLATES = {t.key: t for t in (
    DOSSIER_SUBMITTED, DOSSIER_RECEIVED, DOSSIER_REFUSED, DOSSIER_REDIRECTED, SUPPLEMENT_REQUESTED,
    SUPPLEMENT_RECEIVED, DOSSIER_WITHDRAWN, RESULT_READY, RESULT_RETURNED, APOLOGY_ISSUED, SHIPMENT_CREATED,
    SHIPMENT_PROGRESSED, DOSSIER_RESCHEDULED, DOSSIER_STOPPED, PAYMENT_REQUESTED, PAYMENT_RECEIVED)}
