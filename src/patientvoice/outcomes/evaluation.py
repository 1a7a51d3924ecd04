"""The post-test evaluation: the items the site adds from mkdocs.yml, and what learners answered to them."""

from __future__ import annotations

from pathlib import Path

from patientvoice.course.model import Item
from patientvoice.site.questionnaire import EvaluationError, evaluation_items


def plugin_options(root: Path) -> dict:
    """The ``patientvoice`` plugin's options in ``root/mkdocs.yml``; empty without mkdocs.yml or options."""
    # The course's own limited reader (an alias bomb or a Python object tag in mkdocs.yml is refused, not
    # expanded or run), with mkdocs' own tags resolved as mkdocs resolves them (!ENV reads the environment).
    from patientvoice.problems import Problems
    from patientvoice.site.mkdocs_yml import load_site_config
    from patientvoice.site.options import given_options

    path = Path(root) / "mkdocs.yml"
    if not path.is_file():  # a course added to a host docs site: the host's mkdocs.yml lists the plugin
        from patientvoice.site.addon import locate

        host = locate(Path(root)).site
        if host is None or not (host / "mkdocs.yml").is_file():
            return {}
        root, path = host, host / "mkdocs.yml"
    problems = Problems(Path(root))
    data = load_site_config(Path(root), problems)
    if problems.errors:
        first = problems.errors[0]
        what = "not valid YAML" if first.rule == "yaml.syntax" else "cannot be read safely"
        raise EvaluationError(f"{path}: {what} (line {first.line}: {first.message}; run `patientvoice check`)")
    return given_options(data or {})


def site_evaluation(root: Path) -> list[Item]:
    """The evaluation items the site's post-test asks: the plugin's ``evaluation`` option, or the defaults."""
    raw, where = plugin_options(root).get("evaluation"), Path(root) / "mkdocs.yml"
    if raw is not None and not isinstance(raw, list):
        raise EvaluationError(f"{where}: plugins.patientvoice.evaluation must be a list of items")
    try:
        return evaluation_items(raw)
    except EvaluationError as exc:
        raise EvaluationError(f"{where}: {exc}") from None


def favourable(counts: list[int]) -> int:
    """Answers in the top half of a scale, the neutral midpoint of an odd scale excluded."""
    points = len(counts)
    return sum(c for i, c in enumerate(counts) if i > (points - 1) / 2)


def _result(item: Item, answers: list) -> dict:
    out = {"id": item.id, "kind": item.kind, "stem": item.stem, "n": len(answers)}
    if item.kind == "text":
        out["answers"] = [a.strip() for a in answers if a.strip()]
        return out
    labels = item.scale if item.kind == "likert" else item.options
    counts = [0] * len(labels)
    for a in answers:
        for index in (a if isinstance(a, list) else [a]):
            counts[index] += 1
    out.update(labels=labels, counts=counts)
    if item.kind == "likert":
        out["favourable"] = favourable(counts)
    return out


def evaluation_results(items: list[Item], post: dict[str, dict]) -> list[dict]:
    """Per evaluation item, the post-test answers: counts per option or scale point, or the texts verbatim."""
    out = []
    for item in items:
        answers = [a[item.id] for a in post.values() if a.get(item.id) is not None]
        if item.kind == "text":
            answers = [a for a in answers if isinstance(a, str)]
        out.append(_result(item, answers))
    return out


def satisfaction(scales: list[dict]) -> tuple[list[str], list[str]]:
    """Evidence for Moore's satisfaction level: likert items a majority answered favourably, and those short of it.

    ``scales`` are post-test likert results, each with ``id``, ``labels``, ``counts`` and ``n``.
    """
    reached, short = [], []
    for x in scales:
        if not x["n"]:
            continue
        good, labels = favourable(x["counts"]), x["labels"]
        top = [lb for i, lb in enumerate(labels) if i > (len(labels) - 1) / 2]
        text = (f"'{x['id']}': {good} of {x['n']} learners ({100 * good / x['n']:.0f}%) answered "
                f"{' or '.join(top)}")
        if 2 * good > x["n"]:
            reached.append(text)
        else:
            short.append(text + " — not a majority")
    return reached, short
