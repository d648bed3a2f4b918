"""``flask bank ...`` commands: check, lint, import, export and sync bank files; print a bank's coverage."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from contest import ROOT
from contest.banks.coverage import bank_coverage, coverage_lines
from contest.banks.exports import EXPORT_FORMATS, export_bank
from contest.banks.formats import parse_bank_file
from contest.banks.importing import BankError, check_bank_file, import_bank
from contest.banks.lint import bank_balance, lint_questions
from contest.banks.sync import sync_banks

cli = AppGroup("bank", help="Ngân hàng câu hỏi: kiểm tra, nhập, xuất và đồng bộ tệp câu hỏi.")

_SKIP_HELP = "Bỏ qua câu hỏi dạng không hỗ trợ (GIFT: trả lời ngắn, số, ghép cặp, tự luận, …) và nhập phần còn lại."
_TOPIC_HELP = "Chủ đề cho câu hỏi trong tệp không ghi chủ đề (Aiken, Word không có tiêu đề); mặc định: tên tệp."


@cli.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In đúng một đối tượng JSON.")
@click.option("--bank", "bank_name", help="Tên ngân hàng sẽ nhập vào (để so trùng với các ngân hàng khác).")
@click.option("--skip-unsupported", is_flag=True, help=_SKIP_HELP)
@click.option("--topic", help=_TOPIC_HELP)
def check_command(path: Path, as_json: bool, bank_name: str | None, skip_unsupported: bool,
                  topic: str | None) -> None:
    """Kiểm tra tệp câu hỏi mà không nhập (mã thoát 0 nếu nhập được, 1 nếu có lỗi)."""
    parsed = check_bank_file(path.read_bytes(), path.name, bank_name=bank_name, skip_unsupported=skip_unsupported,
                             topic=topic)
    if as_json:
        click.echo(json.dumps(parsed.as_dict(), ensure_ascii=False))
    else:
        _echo_problems(parsed.errors, parsed.warnings)
        if parsed.ok:
            click.echo(f"{path.name}: {len(parsed.questions)} câu hỏi, nhập được.")
        else:
            click.echo(f"{path.name}: {len(parsed.errors)} lỗi, chưa nhập được.", err=True)
    raise SystemExit(0 if parsed.ok else 1)


@cli.command("lint")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Coi cảnh báo như lỗi (mã thoát 1 nếu có cảnh báo).")
def lint_command(paths: tuple[Path, ...], strict: bool) -> None:
    """Tìm lỗi viết câu hỏi làm lộ đáp án hoặc thiếu công bằng (mã thoát 1 nếu có lỗi)."""
    failed = False
    for path in paths:
        parsed = parse_bank_file(path.read_bytes(), path.name)
        if not parsed.ok:
            failed = True
            click.echo(f"{path.name}: không đọc được tệp; hãy chạy “flask bank check {path}”.", err=True)
            _echo_problems(parsed.errors, [])
            continue
        report = lint_questions(parsed.questions)
        for finding in report.findings:
            label = "Lỗi" if finding.severity == "error" else "Cảnh báo"
            click.echo(f"  {label} – {finding}", err=finding.severity == "error")
        balance = bank_balance(parsed.questions)
        click.echo(f"{path.name}: {len(parsed.questions)} câu; {len(report.errors)} lỗi, {len(report.warnings)} "
                   f"cảnh báo. Đáp án dài nhất: {balance.longest_keys}/{balance.single} câu một đáp án; "
                   f"“Đúng”: {balance.true_keys}/{balance.true_false} câu đúng/sai.")
        failed = failed or bool(report.errors) or (strict and bool(report.warnings))
    raise SystemExit(1 if failed else 0)


@cli.command("coverage")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def coverage_command(paths: tuple[Path, ...]) -> None:
    """In bảng độ phủ của ngân hàng: theo chủ điểm kế hoạch, chủ đề và độ khó (mã thoát 1 nếu chưa đạt)."""
    questions = []
    for path in paths:
        parsed = parse_bank_file(path.read_bytes(), path.name)
        if not parsed.ok:
            click.echo(f"{path.name}: không đọc được tệp; hãy chạy “flask bank check {path}”.", err=True)
            raise SystemExit(1)
        questions.extend(parsed.questions)
    coverage = bank_coverage(questions)
    for line in coverage_lines(coverage):
        click.echo(line)
    shortfalls = coverage.shortfalls()
    click.echo("")
    if shortfalls:
        click.echo("Chưa đạt:")
        for item in shortfalls:
            click.echo(f"  – {item}")
    else:
        click.echo("Đạt mọi chỉ tiêu độ phủ của ngân hàng mặc định.")
    raise SystemExit(1 if shortfalls else 0)


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bank", "bank_name", help="Tên ngân hàng (mặc định: khóa “bank” trong tệp hoặc tên tệp).")
@click.option("--skip-unsupported", is_flag=True, help=_SKIP_HELP)
@click.option("--topic", help=_TOPIC_HELP)
def import_command(path: Path, bank_name: str | None, skip_unsupported: bool, topic: str | None) -> None:
    """Nhập tệp câu hỏi (tất cả hoặc không gì cả)."""
    report = import_bank(path.read_bytes(), path.name, bank_name, skip_unsupported=skip_unsupported, topic=topic)
    warnings = report.parsed.warnings if report.parsed else []
    if not report.ok:
        click.echo(f"Không nhập được {path.name}; không có thay đổi nào.", err=True)
        _echo_problems(report.errors, warnings)
        raise SystemExit(1)
    _echo_problems([], warnings)
    if report.parsed and report.parsed.skipped:
        click.echo(f"Đã bỏ qua {len(report.parsed.skipped)} câu hỏi dạng không hỗ trợ.")
    click.echo(report.summary)


@cli.command("export")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), required=True, help="Định dạng tệp.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Tệp ghi ra.")
def export_command(name: str, fmt: str, out: Path) -> None:
    """Xuất các câu đang dùng của một ngân hàng ra tệp xlsx, GIFT, Aiken hoặc YAML."""
    try:
        exported = export_bank(name, fmt)
    except BankError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from exc
    out.write_bytes(exported.data)
    for note in exported.notes:
        click.echo(f"  Lưu ý – {note}", err=True)
    click.echo(f"Đã ghi {exported.count} câu hỏi vào {out}.")


@cli.command("sync")
@click.option("--dir", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=ROOT / "questions", show_default=True, help="Thư mục chứa tệp ngân hàng câu hỏi.")
def sync_command(folder: Path) -> None:
    """Nhập lại mọi tệp trong thư mục câu hỏi có nội dung đã đổi kể từ lần nhập trước."""
    failed = 0
    for result in sync_banks(folder):
        if not result.changed:
            click.echo(f"{result.path.name}: không đổi.")
        elif result.report.ok:
            click.echo(f"{result.path.name}: {result.report.summary}")
        else:
            failed += 1
            click.echo(f"{result.path.name}: không nhập được; không có thay đổi nào.", err=True)
            _echo_problems(result.report.errors, [])
    raise SystemExit(1 if failed else 0)


def _echo_problems(errors, warnings) -> None:
    for problem in errors:
        click.echo(f"  Lỗi – {problem}", err=True)
    for problem in warnings:
        click.echo(f"  Cảnh báo – {problem}", err=True)
