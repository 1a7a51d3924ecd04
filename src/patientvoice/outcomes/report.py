"""Write the outcomes report: ``outcomes.json``, ``index.html`` and ``report.pdf`` in one folder."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from markupsafe import Markup

from patientvoice.course.model import Course, Item
from patientvoice.outcomes.analysis import outcomes
from patientvoice.outcomes.flow import attempts_allowed
from patientvoice.outcomes.charts import objective_chart
from patientvoice.outcomes.exchange import read_files
from patientvoice.outcomes.programme import pooled_total, programme
from patientvoice.outcomes.report_html import render
from patientvoice.outcomes.store import StoreError, open_store, redact
from patientvoice.outcomes.validate import Invalid, index_course, validate

FORMAT = "patientvoice-outcomes/2"  # 2: first post-test attempt, intervals, flow, items, programme


def load_rows(course: Course, database: str | None = None, files: tuple[Path, ...] = (),
              evaluation: list[Item] | None = None) -> tuple[list[dict], list[str], str]:
    """Responses from the collector's database or from exported files: (rows, skipped messages, source label).

    ``evaluation`` is the post-test's evaluation items; ``None`` reads them from the course's mkdocs.yml.
    """
    specs = index_course(course, evaluation)
    if files:
        rows, skipped = read_files(list(files), specs)
        return rows, skipped, f"{len(files)} file(s): " + ", ".join(p.name for p in files)
    if not database.startswith(("postgresql://", "postgres://")) and not Path(database.removeprefix("sqlite:///")).is_file():
        raise StoreError(f"there is no database at {database}; give the file the collector wrote (--database)")
    store = open_store(database)
    try:
        stored = store.rows()
    finally:
        store.close()
    rows, skipped = [], []
    for row in stored:
        # The questionnaire may have changed since a response was collected; re-check so old items cannot skew it.
        try:
            # the collector's own attempt number (stored order), never one a browser sent
            rows.append({**validate(row, specs), "received": row["received"], "id": row["id"],
                         "stored_attempt": row.get("attempt")})
        except Invalid as exc:
            skipped.append(f"response {row['id']} ({row['learner']}, {row['module']}, {row['phase']}): {exc}")
    return rows, skipped, f"database {redact(database)}"


def write_report(course: Course, rows: list[dict], skipped: list[str], source: str, out: Path,
                 pdf: bool = True, evaluation: list[Item] | None = None,
                 professions: dict[tuple[str, str], str] | None = None) -> dict:
    """Analyse ``rows`` and write the three report files to ``out``; return the outcomes data.

    ``professions`` maps (module, learner code) to the profession the learner's credit claim records
    (:func:`patientvoice.outcomes.programme.professions_from`); without it there is no split by profession.
    """
    modules = outcomes(course, rows, evaluation, professions)
    data = {
        "format": FORMAT,
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "provider": course.provider.name if course.provider else "",
        "source": source, "responses": len(rows), "skipped": skipped,
        "attempts_allowed": attempts_allowed(course),
        "modules": modules,
        "programme": programme(modules, pooled_total(course, rows)),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "outcomes.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    pages = [{**m, "chart": Markup(objective_chart(f"chart-{m['id']}", f"Learners meeting each objective: {m['title']}",
                                                   m["objectives"]))} for m in data["modules"]]
    html = render({**data, "modules": pages})
    (out / "index.html").write_text(html, encoding="utf-8")
    if pdf:
        from weasyprint import HTML

        # WeasyPrint warns about CSS it ignores (screen-only rules); those are not the author's problem.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        HTML(string=html, base_url=str(out)).write_pdf(out / "report.pdf")
    return data
