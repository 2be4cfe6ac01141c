"""One error type for everything a user can get wrong.

Every message exists in Japanese (for the TUI and the CLI) and in English (for the CLI and logs). The CLI
prints `where: ja / en` and exits with `exit_code`; the TUI shows the Japanese text in a dialog. Any
other exception is a bug: it is logged with its traceback and the user sees a generic message.
"""

from __future__ import annotations

from selfcheck.controls import shown, strip_controls


class SelfcheckError(Exception):
    """A failure the user can understand and act on."""

    exit_code: int = 2

    def __init__(self, message_ja: str, message_en: str, where: str | None = None) -> None:
        # messages quote user input (paths, URLs, names): never a terminal escape, never 100 kB of it
        message_ja, message_en = strip_controls(message_ja), strip_controls(message_en)
        super().__init__(message_en)
        self.message_ja = message_ja
        self.message_en = message_en
        self.where = where

    @property
    def where(self) -> str | None:
        return self._where

    @where.setter
    def where(self, value: str | None) -> None:
        self._where = shown(value) if value else value

    def one_line(self) -> str:
        """`where: 日本語 / English` with newlines flattened, for stderr."""
        prefix = f"{self.where}: " if self.where else ""
        text = f"{prefix}{self.message_ja} / {self.message_en}"
        return " ".join(text.split())


class ChecklistFormatError(SelfcheckError):
    """A checklist, profile or playbook data file is malformed. `problems` holds one line per error."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        first = problems[0] if problems else ""
        super().__init__(
            f"データファイルに誤りがあります（{len(problems)}件）: {first}",
            f"data file has {len(problems)} error(s): {first}",
        )


class NotFoundError(SelfcheckError):
    """An id given by the user does not exist."""


class EvidenceError(SelfcheckError):
    """An evidence file cannot be taken in (missing, a directory, unreadable, too large)."""


class DatabaseError(SelfcheckError):
    """The database cannot be used (written by a newer version, locked, damaged)."""


class DataInUseError(DatabaseError):
    """Another selfcheck process holds the write lock for longer than the busy timeout."""


class FinalizedError(SelfcheckError):
    """The inspection is final (its report was signed); changes need a new revision."""


class InspectionExistsError(SelfcheckError):
    """The body's fiscal year already has an inspection, so another one is not started (or another
    revision not opened). `inspection_id` is the one to use instead; `status` says how: "open" = continue
    it, "final" = make a new revision of it (`inspection.new_revision`)."""

    def __init__(self, message_ja: str, message_en: str, *, inspection_id: int, status: str) -> None:
        super().__init__(message_ja, message_en)
        self.inspection_id = inspection_id
        self.status = status


class SigningError(SelfcheckError):
    """Key management or signing failed. `reason` says why in a word a screen can act on:
    "no_key" (run keys init / the key set-up screen), "wrong_passphrase", "no_store" (no credential
    store and no way to ask), "passphrase_file" (the file cannot be read or is empty), "key_exists",
    "bad_certificate", "pkcs12", "sign_failed", or "other"."""

    def __init__(
        self, message_ja: str, message_en: str, where: str | None = None, *, reason: str = "other"
    ) -> None:
        super().__init__(message_ja, message_en, where)
        self.reason = reason


class PassphraseFileError(SigningError):
    """The --passphrase-file cannot be read (missing, not a file, too large, not UTF-8, empty)."""

    def __init__(self, message_ja: str, message_en: str, where: str | None = None) -> None:
        super().__init__(message_ja, message_en, where, reason="passphrase_file")


REJECT_REASONS = (
    "empty",
    "not_text",
    "unsupported_format",
    "scanned_pdf",
    "not_policy",
    "incomplete",
    "bad_numbering",
    "too_large",
)
"""Why a policy file was refused (the `reason` of `policy import --json`)."""


class ImportRejected(SelfcheckError):
    """A policy file cannot be imported; the message says why in one line.

    `reason` is one of REJECT_REASONS; `found` is what could be read before the refusal (organization,
    title, sections as {number, title}, last_line_read), so the user sees how far the reading got."""

    def __init__(
        self,
        message_ja: str,
        message_en: str,
        where: str | None = None,
        *,
        reason: str,
        found: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message_ja, message_en, where)
        if reason not in REJECT_REASONS:
            raise ValueError(f"unknown refusal reason {reason!r}")
        self.reason = reason
        self.found: dict[str, object] = found or {
            "organization": None,
            "title": None,
            "sections": [],
            "last_line_read": None,
        }
        self.source_text = ""
        """The text read from the file (empty when it could not be read), for the wizard to show."""

    def as_json(self) -> dict[str, object]:
        """The `policy import --json` refusal document."""
        return {
            "ok": False,
            "reason": self.reason,
            "message_ja": self.message_ja,
            "message_en": self.message_en,
            "found": self.found,
        }


class ImportCorrectionError(SelfcheckError):
    """A correction to an imported policy (topic, segment) or an import option (--id) is not valid."""


class IncidentClosedError(SelfcheckError):
    """A change was attempted on a closed incident."""


class CloseRefused(SelfcheckError):
    """Closing was refused because required steps are still open; `open_steps` names them."""

    def __init__(self, open_steps: list[tuple[str, str]]) -> None:
        self.open_steps = open_steps
        names = "、".join(f"{t}（{i}）" for i, t in open_steps)
        super().__init__(
            f"終結できません。必須の手順が{len(open_steps)}件残っています: {names}。完了にするか、理由を書いて省略してください。",
            f"cannot close: {len(open_steps)} required step(s) still open: {', '.join(i for i, _ in open_steps)}; "
            "mark them done or skip them with a reason",
        )


class ContactsError(SelfcheckError):
    """A contact or a contacts CSV is invalid; `problems` holds `file:line: column: message` lines."""

    def __init__(
        self, message_ja: str, message_en: str, where: str | None = None, problems: list[str] | None = None
    ) -> None:
        super().__init__(message_ja, message_en, where)
        self.problems = problems or []


class BackupError(SelfcheckError):
    """A backup cannot be written, or an archive cannot be restored."""


class ReadOnlyError(DatabaseError):
    """The data may be read but not changed (read-only mount, a data folder or database file whose owner
    removed the write permission); nothing was written."""


class DataChangedError(DatabaseError):
    """The database files were replaced or removed under an open connection; nothing more is written."""


class CertificateConfirmationRequired(BackupError):
    """A restore would install or replace the certificate that `verify` trusts; the user must confirm its
    fingerprint (`--accept-certificate FINGERPRINT`). Nothing was changed."""

    def __init__(self, message_ja: str, message_en: str, where: str | None, fingerprint: str) -> None:
        super().__init__(message_ja, message_en, where)
        self.fingerprint = fingerprint
