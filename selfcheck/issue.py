"""Issuing a report: query → build → sign → record, as one use case that either completes or leaves
nothing behind.

The PDF is built into a temporary file in the destination folder (same file system, so the final rename
is atomic), signed into a second temporary file, and renamed into place only inside the database
transaction that records the `Report` row and its audit record (and, for a signed inspection report,
finalises the inspection). A failure at any step leaves no file at the destination and no row.

A signed inspection report must never disagree with the data: the inspection's recorded state is
hashed before the data is read and again inside the final write transaction (which holds the write
lock); if anything changed in between, the report is discarded and the user asked to try again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import audit, inspection, paths
from selfcheck.errors import SelfcheckError
from selfcheck.incident import queries
from selfcheck.portable import check_output_file
from selfcheck.report import data as report_data
from selfcheck.report import incident_data, incident_pdf, inspection_pdf
from selfcheck.report.layout import SignerInfo
from selfcheck.signing import keystore, pades
from selfcheck.signing.keystore import Passphrase
from selfcheck.workspace import Workspace

if TYPE_CHECKING:
    from sqlmodel import Session

Progress = Callable[[float, str], None]
Builder = Callable[[Path, SignerInfo | None], str]  # writes the PDF, returns its document id
Guard = Callable[["Session"], None]  # runs inside the recording transaction; raises to abort


@dataclass(frozen=True)
class IssuedReport:
    report_id: int
    kind: str
    subject_id: int
    path: Path
    document_id: str
    signed: bool
    fingerprint: str | None

    def as_dict(self) -> dict[str, object]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["path"] = str(self.path)
        return d


def _destination(out: Path) -> Path:
    check_output_file(out)  # CON.pdf, a:b.pdf ... on Windows
    out = Path(out).expanduser().resolve()
    if out.is_dir():
        raise SelfcheckError(
            "出力先はフォルダです。ファイル名を指定してください",
            "the output is a folder; give a file name",
            where=str(out),
        )
    if not out.parent.is_dir():
        raise SelfcheckError(
            "出力先のフォルダがありません", "the output folder does not exist", where=str(out.parent)
        )
    return out


def issue_report(
    ws: Workspace,
    *,
    kind: str,
    subject_id: int,
    out: Path,
    sign: bool,
    passphrase_provider: Passphrase | None,
    build: Builder,
    guard: Guard | None = None,
    on_progress: Progress | None = None,
) -> IssuedReport:
    """Build (and sign) a report into `out` and record it. For kind="inspection" with sign=True the
    inspection is finalised in the same transaction."""
    from selfcheck.models.tables import Report

    def step(frac: float, what: str) -> None:
        if on_progress:
            on_progress(frac, what)

    out = _destination(out)
    key = signer = None
    if sign:
        step(0.02, "署名用の鍵を開いています")
        key = keystore.unlock(ws, passphrase_provider or Passphrase())  # fail fast, before building
        with ws.read() as s:
            head = audit.read_head(s)  # anchored in the signed PDF (see trust.audit_anchor)
        signer = SignerInfo(
            name=key.cert.common_name,
            role=key.cert.title,
            organization=key.cert.organization,
            signed_at=ws.now(),
            fingerprint=key.cert.fingerprint,
            audit_head=f"{head['id']}:{head['hash']}" if head else "",
        )
    tag = f"{os.getpid()}-{os.urandom(4).hex()}"
    built = out.with_name(f".{out.stem}.build-{tag}.pdf")
    signed = out.with_name(f".{out.stem}.sign-{tag}.pdf")
    placed = False
    try:
        step(0.05, "PDF を作成しています")
        try:
            document_id = build(built, signer)
        except OSError as exc:
            raise SelfcheckError(
                f"PDF を書き込めません（{exc.strerror}）",
                f"cannot write the PDF ({exc.strerror})",
                where=str(out),
            ) from exc
        final = built
        if key is not None:
            step(0.85, "電子署名しています")
            final = pades.sign(built, signed, key=key, log_file=paths.log_dir(ws.home) / "signing.log")
        step(0.95, "記録しています")
        with ws.write() as s:
            if guard is not None:
                guard(s)
            row = Report(
                kind=kind,
                subject_id=subject_id,
                path=str(out),
                document_id=document_id,
                signed=sign,
                signer_fingerprint=key.cert.fingerprint if key else None,
                created_at=ws.now(),
                created_by=ws.who(),
            )
            s.add(row)
            s.flush()
            audit.record(
                s,
                ws,
                action="sign" if sign else "create",
                entity="report",
                entity_id=row.id,
                field=f"{kind} {subject_id}",
                new={
                    "path": str(out),
                    "document_id": document_id,
                    "signed": sign,
                    "fingerprint": row.signer_fingerprint,
                },
            )
            if kind == "inspection" and sign:
                inspection.finalize(ws, subject_id, session=s)
            if os.name == "posix":  # a report holds findings and names: owner-only like every export
                final.chmod(0o600)
            try:
                os.replace(final, out)  # last step before commit; undone below if the commit fails
            except PermissionError as exc:  # Windows: the old PDF is open in a viewer (it locks the file)
                raise SelfcheckError(
                    "出力先の PDF を置き換えられません。PDF ビューアなどで開いていれば閉じてから、もう一度実行してください",
                    f"cannot replace the output PDF ({exc.strerror}); close it in the PDF viewer and retry",
                    where=str(out),
                ) from exc
            placed = True
        step(1.0, "完了")
        return IssuedReport(
            report_id=row.id or 0,
            kind=kind,
            subject_id=subject_id,
            path=out,
            document_id=document_id,
            signed=sign,
            fingerprint=row.signer_fingerprint,
        )
    except BaseException:
        if placed:
            out.unlink(missing_ok=True)
        raise
    finally:
        built.unlink(missing_ok=True)
        signed.unlink(missing_ok=True)


# --- the inspection report ------------------------------------------------------------------------------


def inspection_state(s: Session, inspection_id: int) -> str:
    """Hash of everything recorded for an inspection that its report shows (answers, improvements,
    evidence links), read through `s` so it can run inside the recording transaction."""
    from sqlmodel import col, select

    from selfcheck.models.tables import Answer, Evidence, Improvement

    models: tuple[type[Answer | Improvement | Evidence], ...] = (Answer, Improvement, Evidence)
    parts = []
    for model in models:
        rows = s.exec(select(model).where(model.inspection_id == inspection_id).order_by(col(model.id))).all()
        parts.append([r.model_dump() for r in rows])
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_inspection_report(
    ws: Workspace,
    inspection_id: int,
    out: Path,
    *,
    sign: bool,
    passphrase_provider: Passphrase | None = None,
    on_progress: Progress | None = None,
) -> IssuedReport:
    """自己点検結果報告書: gather the data, build, sign if asked (then the inspection is final), record."""

    with ws.read() as s:
        before = inspection_state(s, inspection_id)
    rd = report_data.gather(ws, inspection_id)

    def build(path: Path, signer: SignerInfo | None) -> str:
        def prog(frac: float, what: str) -> None:
            if on_progress:
                on_progress(0.05 + 0.8 * frac, what)

        inspection_pdf.build(rd.with_signer(signer), path, on_progress=prog)
        return rd.document_id

    def guard(s: Session) -> None:
        if inspection_state(s, inspection_id) != before:
            raise SelfcheckError(
                "報告書の作成中に点検の内容が変更されました。もう一度作成してください",
                "the inspection changed while the report was being made; make it again",
            )

    return issue_report(
        ws,
        kind="inspection",
        subject_id=inspection_id,
        out=out,
        sign=sign,
        passphrase_provider=passphrase_provider,
        build=build,
        guard=guard,
        on_progress=on_progress,
    )


def issue_incident_report(
    ws: Workspace,
    incident_id: int,
    out: Path,
    *,
    sign: bool,
    passphrase_provider: Passphrase | None = None,
    on_progress: Progress | None = None,
) -> IssuedReport:
    """インシデント報告書: gather, build, sign if asked, record (a `Report` row + audit record)."""
    if Path(out).parent == paths.reports_dir(ws.home):  # the TUI's default place: create it on first use
        paths.ensure_private_dir(Path(out).parent)
    data = incident_data.gather(ws, incident_id)

    def build(path: Path, signer: SignerInfo | None) -> str:
        incident_pdf.build(data.with_signer(signer), path)
        return data.document_id

    def guard(_s: Session) -> None:
        # the record must not have changed while the PDF was built (the write lock is held here)
        if incident_data.snapshot(queries.detail(ws, incident_id)) != data.document_id:
            raise SelfcheckError(
                "報告書の作成中にインシデントの記録が変更されました。もう一度作成してください",
                "the incident changed while the report was being made; make it again",
            )

    return issue_report(
        ws,
        kind="incident",
        subject_id=incident_id,
        out=out,
        sign=sign,
        passphrase_provider=passphrase_provider,
        build=build,
        guard=guard,
        on_progress=on_progress,
    )
