"""The validation report of an import file, for people (the command line) and for programs (the API)."""
from __future__ import annotations

from .columns import label
from .records import Problem

CLI_SHOWN = 200  # lines printed; the rest are counted
API_SHOWN = 1000  # invalid_params in the 422 answer


def line_of(problem: Problem) -> str:
    """'Dòng 12, Ngày tiếp nhận: ...' (line 0 is the file as a whole)."""
    where = "Tệp" if problem.line <= 0 else f"Dòng {problem.line}"
    field = label(problem.field) if problem.field else ""
    return f"{where}, {field}: {problem.reason}" if field else f"{where}: {problem.reason}"


def lines(problems: list[Problem], total: int | None = None, *, shown: int = CLI_SHOWN) -> list[str]:
    total = max(total or 0, len(problems))
    found = [line_of(problem) for problem in problems[:shown]]
    if total > len(found):
        found.append(f"và {total - len(found)} lỗi khác")
    return found


def invalid_params(problems: list[Problem], *, shown: int = API_SHOWN) -> list[dict]:
    return [{"name": problem.field or "file", "line": problem.line, "code": problem.code, "reason": problem.reason}
            for problem in problems[:shown]]
