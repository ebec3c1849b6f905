"""The definitions behind every figure, as the API documentation states them (OpenAPI descriptions).

Implemented by `projection.clock` (the appointment, pauses, apology), `projection.dossier` (the
end of processing and its class), `statistics.placement` (the period) and `statistics.scope` (units).
"""

DEFINITIONS = """\
**Which dossiers count.** A dossier counts once it has been *received*, i.e. accepted at a desk
(`dossier.received`, DVCQG status 2): from then on its appointment is a legal promise. Dossiers only
submitted online or by post and not yet accepted (status 1), and dossiers refused or redirected at
reception (status 3; no dossier is opened), are not in Biểu 06. A received dossier belongs to the
unit that received it and to every unit above it (see *unit*).

**Period.** Whole days in Vietnam (Asia/Ho_Chi_Minh): from 00:00 on `from` to 24:00 on `to`. A
dossier is in the period's table when it was received before the end of `to` and had not ended
before the start of `from`. *Carried over* (từ kỳ trước): received before `from`, not ended
before `from`. Online / counter-and-postal: received within the period, by its channel. Instead of
`from`/`to`, `period` names an official reporting period (Decree 09/2019/NĐ-CP Art. 12: figures cut
from the 15th of the month before the period to the 14th of its last month): `2019-M05` the month,
`2019-Q1` the quarter, `2019-6T` / `2019-6C` the first / second half, `2019-9T` nine months, `2019-N`
the year; `GET /api/v1/reports/periods?year=` lists them with their days. Giving both is refused.

**Resolved** (đã giải quyết): processing ended by the end of `to`. The end is `dossier.processed`
(DVCQG 9, approved or a reasoned rejection); failing that `dossier.returned` (10; when both exist 9
is used, as Decision 766 says); for a dossier stopped after reception, `dossier.withdrawn` (8) or a
refusal/redirection after reception. These end-of-processing events are those of Decision 766 §2.1.

**The appointment** (ngày hẹn trả): the `due_at` on the receipt, moved only by the working time of
supplement pauses (the clock stops while the citizen supplements: each `supplement_received` carries
the moved appointment). An apology (Mẫu 04, `apology.issued`) does not move it: its new date is a
courtesy to the citizen, and an apologised dossier finished after its original appointment is late,
as in Decision 766 practice. While a supplement is awaited the clock stands still: a dossier waiting
for one at an instant is judged at the moment the supplement was requested.

**Early, on time, late** (trước hạn, đúng hạn, quá hạn). Let *end* be the moment processing ended
(or the start of the supplement wait it ended in), and *due* the appointment then in force.
Late: end > due, to the minute (Decision 766: on time ⇔ NgayKetThucXuLy ≤ NgayHenTra; the working
calendar's rule completed_at ≤ due). Early: not late and the end fell on an earlier calendar day
(Asia/Ho_Chi_Minh) than the appointment's day. On time: on the appointment's day, no later than
the appointment's instant. A dossier withdrawn or refused after reception is on time or late, never
early (it produced no result; the Biểu II.06a note counts withdrawn dossiers as on time).

**In progress** (đang giải quyết): received, not ended by the end of `to`. Within the deadline when,
at 24:00 on `to` (or at the start of the supplement wait holding then), the appointment had not
passed; overdue otherwise.

**Identities** (hold for every period and every unit): received.total = online + counter_postal +
carried_over = resolved.total + in_progress.total; resolved.total = early + on_time + late;
in_progress.total = within_deadline + overdue. The same holds under `one_stop` and `inter_agency`
(một cửa liên thông: a dossier handled by several agencies or levels), which add up to the total: an
inter-agency dossier is one dossier, counted once.

**Attribution** (`attribution`). `receiving` (the default): a dossier counts under the unit whose
desk received it. `competent`: under the unit of the agency that resolves it (Biểu 06 reports "at the
agency that directly handles" the procedure): in its latest route plan (`route.started`), the last
step at the level its procedure is decided at (the plan's last step when none is), or the successor's
unit when that step was handed over at the 2025 reform (`route.handed_over`); until routing has
planned it, the competent unit recorded at reception (the receiving unit unless the desk named
another). Every
figure, breakdown, list and file follows the attribution asked for; `by=competent_unit` breaks a
report down by that unit.

**Unit.** The unit is read as it stood on `to` (or on its last day, for the districts abolished on
01/07/2025). Covered: dossiers received at the unit or at a unit below it in the hierarchy of their
own day. A two-level commune (a period ending from 01/07/2025) also covers the communes merged into
it, so its report spans the reform. The officer may report only on their own unit or one below it.
"""
