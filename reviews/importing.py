"""Importing patient reviews from the widely used drug-review export format.

The file is read as a stream (one batch of rows in memory at a time), each row
is validated on its own, and valid rows are written in bulk: with COPY and one
upsert per batch on PostgreSQL, with bulk_create/bulk_update elsewhere. Rows
are keyed by (source, source id), so importing the same file again updates the
reviews instead of adding them twice. Each text is screened as it is read, as a
submitted review is: a flagged new review waits for a moderator instead of being
approved. Rating figures are recounted once, at the end, for every drug and
indication the import touched, and mention figures are rebuilt.

Drug and condition names resolve through the drug dictionary (brand names,
combinations, close spellings, names the export cut short). A row whose drug
or condition does not resolve is not guessed at: it waits in the
unmatched-names queue until an editor maps the name, once; then it is
imported (waiting_rows_import), and later imports follow the mapping.
"""

import codecs
import csv
import html
import io
import multiprocessing
import os
import queue
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Length
from django.utils import timezone

from dictionary.keys import name_key
from dictionary.models import UnmatchedName, WaitingRow
from dictionary.resolution import (
    condition_suggestions,
    drug_suggestions,
    resolve_condition_ids,
    resolve_drug_ids,
)
from drugs.models import Condition, Drug, Indication, PublicationStatus
from insights.services import mentions_recompute_all, mentions_reviews_changed
from reviews.models import REVIEW_LIST_INDEXES, Review
from reviews.screening import SCREENING_FIELDS, flags_of
from reviews.services import body_hash, ratings_recount

DEFAULT_SOURCE = "review-export"
REQUIRED_COLUMNS = ("drugName", "condition", "review", "rating", "date", "usefulCount")
# Names the unnamed first column takes after passing through common tools.
ID_COLUMN_NAMES = ("", "id", "uniqueid", "unnamed: 0")
MAX_LISTED_ERRORS = 1000

DRAFT_SUMMARY = "Not written yet: created by a review import. An editor must write this page."
# What the common export writes when a review names no condition ("Not Listed /
# Other", cut short like many of its names): such a row is about the drug only.
NO_CONDITION_KEYS = frozenset({"notlistedother", "notlistedothe", "notlisted"})
DRAFT_TEXT = "Not written yet."
# Nobody has checked whether regulators approve an imported use, so the draft
# carries the most cautious status: if it were ever published unchecked, the
# page would warn readers off rather than present the use as accepted.
DRAFT_APPROVAL_STATUS = Indication.ApprovalStatus.NOT_RECOMMENDED
DRAFT_APPROVAL_NOTE = (
    "UNVERIFIED: created by a review import. Check the approval status and write "
    "this note before publishing."
)

_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive or an Excel workbook: save it as CSV or TSV first",
    b"\x1f\x8b": "gzip-compressed: decompress it first",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel or Word document: save it as CSV or TSV first",
    b"SQLite format 3": "an SQLite database",
}
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%d-%b-%y")
# A few rows of the common export carry a fragment of the source page's markup
# instead of a condition ("3</span> users found this comment helpful.").
_MARKUP = re.compile(r"<[^>]*>|users found this comment helpful", re.IGNORECASE)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, not text, missing columns)."""


@dataclass(frozen=True)
class RowError:
    """One bad row: where it is and what is wrong, in words an editor can act on."""

    row: int
    line: int
    problems: tuple[str, ...]
    last_line: int = 0

    def __str__(self):
        # Rows count as a spreadsheet does (the header is row 1); quoted line
        # breaks make lines run ahead of rows, so the line is named when they differ.
        if self.last_line > self.line:
            where = f"Row {self.row} (lines {self.line}\u2013{self.last_line})"
        elif self.row != self.line:
            where = f"Row {self.row} (line {self.line})"
        else:
            where = f"Row {self.row}"
        return f"{where}: " + "; ".join(self.problems)


@dataclass(slots=True)
class ReviewRow:
    """A valid row, ready to be matched to content and written."""

    row: int
    source_id: str
    drug_name: str
    condition_name: str
    body: str
    rating: int
    submitted_at: datetime
    helpful_count: int
    # Set by the screening step that follows reading (see _screened), in
    # SCREENING_FIELDS order.
    flags: tuple[bool, ...] | None = None


@dataclass(slots=True)
class NameOutcome:
    """How one name of a file resolved, and how many rows used it."""

    rows: int = 0
    # The record's name, or "" when the name waits in the unmatched-names queue.
    matched_to: str = ""
    # Which step resolved it: name, dictionary, ingredients, spelling, truncated.
    step: str = ""


@dataclass
class ImportSummary:
    """What an import did (or, after a dry run or a refused atomic run, would have done)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    # New reviews stored as pending because screening flagged their text.
    held: int = 0
    # Rows waiting in the unmatched-names queue for a drug or condition name.
    queued: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # Each distinct drug and condition name, as the file wrote it (cleaned).
    drug_names: dict[str, NameOutcome] = field(default_factory=dict)
    condition_names: dict[str, NameOutcome] = field(default_factory=dict)
    draft_indications: int = 0
    saved: bool = True
    # True when review list indexes were built afresh: after a bulk load, or
    # before an import, when an interrupted one had left them out.
    rebuilt_list_indexes: bool = False

    @property
    def published(self):
        """New reviews approved at once (the rest of the new ones are held)."""
        return self.created - self.held

    def add_error(self, error):
        self.skipped += 1
        self.error_count += len(error.problems)
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(error)


class _CountingReader(io.RawIOBase):
    """Reports bytes as they are read, so a progress bar can follow a stream."""

    def __init__(self, raw, on_read):
        self._raw = raw
        self._on_read = on_read

    def readable(self):
        return True

    def readinto(self, buffer):
        count = self._raw.readinto(buffer)
        if count:
            self._on_read(count)
        return count

    def close(self):
        self._raw.close()
        super().close()


# "%u2019": how some exports escape characters outside Latin-1 (a surrogate
# pair, "%uD83D%uDE0A", for characters beyond the first 65,536).
_PERCENT_U = re.compile(r"(?:%u[0-9A-Fa-f]{4})+")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def _decode_percent_u(match):
    units = bytes.fromhex("".join(unit[1:] for unit in match.group().split("%") if unit))
    return units.decode("utf-16-be", errors="replace")


def _clean_text(value):
    """The text as a reader should see it, cleaned once on the way in.

    HTML entities and %uXXXX escapes decoded, one pair of wrapping quotes
    dropped, runs of spaces made one, at most one blank line kept between
    paragraphs, outer whitespace removed.
    """
    value = html.unescape(value)
    if "%u" in value:
        value = _PERCENT_U.sub(_decode_percent_u, value)
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].strip()
    if "  " in value or "\t" in value or "\r" in value or "\xa0" in value:
        value = _SPACES.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    if "\n" in value:
        value = "\n".join(line.strip() for line in value.split("\n"))
        value = _BLANK_LINES.sub("\n\n", value)
    return value


def _is_valid_text(value):
    # Undecodable bytes survive reading as lone surrogates; they cannot be encoded.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _detect_encoding(sample, encoding):
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ImportFileError(f"Unknown encoding {encoding!r}.") from None
        return encoding
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def _check_text(sample, encoding, path):
    for signature, what in _BINARY_SIGNATURES.items():
        if sample.startswith(signature):
            raise ImportFileError(
                f"{path} is not a text file (it looks like {what}). "
                "Expected tab- or comma-separated text with a header row."
            )
    if encoding.replace("_", "-").lower().startswith("utf-16"):
        return
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    if b"\x00" in sample or controls > len(sample) // 20:
        raise ImportFileError(
            f"{path} is not a text file (it contains binary data). "
            "Expected tab- or comma-separated text with a header row."
        )
    if encoding.replace("_", "-").lower().startswith("utf-8"):
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            decoder.decode(sample, final=False)
        except UnicodeDecodeError as error:
            line = sample[: error.start].count(b"\n") + 1
            byte = sample[error.start]
            raise ImportFileError(
                f"{path} is not UTF-8 text (line {line} has the byte 0x{byte:02X}). "
                "Save it as UTF-8, or name its encoding, e.g. --encoding cp1252."
            ) from None


def _sniff_delimiter(first_line, path):
    if "\t" in first_line:
        return "\t"
    if "," in first_line:
        return ","
    raise ImportFileError(
        f"{path}: cannot tell the separator from the header row; expected tab- or "
        "comma-separated columns."
    )


def _column_indexes(header, path):
    names = [name.strip().strip("\ufeff").casefold() for name in header]
    indexes = {}
    missing = []
    for column in REQUIRED_COLUMNS:
        try:
            indexes[column] = names.index(column.casefold())
        except ValueError:
            missing.append(column)
    if missing:
        found = ", ".join(repr(name) for name in header) or "nothing"
        raise ImportFileError(
            f"Row 1 (header) of {path}: missing column(s) {', '.join(missing)}. "
            f"Expected an id column, {', '.join(REQUIRED_COLUMNS)}; found {found}."
        )
    if not names or names[0] not in ID_COLUMN_NAMES:
        raise ImportFileError(
            f"Row 1 (header) of {path}: the first column must be the review id "
            f"(unnamed, or named id), found {header[0]!r}."
        )
    indexes["id"] = 0
    return indexes


class _DateParser:
    """Parses "May 20, 2012"; the few thousand distinct dates of a file are cached."""

    def __init__(self):
        self._cache = {}

    def __call__(self, text):
        try:
            return self._cache[text]
        except KeyError:
            pass
        parsed = None
        for date_format in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, date_format)
                break
            except ValueError:
                continue
        if parsed is not None:
            if parsed.date() > date.today():
                parsed = None
            else:
                parsed = timezone.make_aware(parsed)
        if len(self._cache) < 100_000:
            self._cache[text] = parsed
        return parsed


def _parse_row(values, *, columns, number, parse_date):
    """A ReviewRow, or the list of problems with the row."""
    problems = []
    if len(values) != columns["count"]:
        if len(values) < columns["count"]:
            problems.append(
                f"truncated: {len(values)} of {columns['count']} columns "
                "(the line may be cut short or a quote left open)"
            )
        else:
            problems.append(
                f"{len(values)} columns, expected {columns['count']} "
                "(a separator inside an unquoted value?)"
            )
        return problems

    def text(column):
        value = values[columns[column]]
        if not _is_valid_text(value):
            problems.append(
                f"column {column}: not valid text in this encoding "
                "(name the file's encoding with --encoding)"
            )
            return ""
        return _clean_text(value)

    source_id = text("id")
    if not source_id:
        problems.append("column id: empty; every row needs its id")
    elif len(source_id) > Review._meta.get_field("source_id").max_length:
        problems.append("column id: longer than 64 characters")

    drug_name = " ".join(text("drugName").split())
    if not drug_name:
        problems.append("column drugName: empty")
    elif len(drug_name) > Drug._meta.get_field("name").max_length:
        problems.append("column drugName: longer than 200 characters")

    condition_name = " ".join(text("condition").split())
    if _MARKUP.search(condition_name) or name_key(condition_name) in NO_CONDITION_KEYS:
        condition_name = ""
    elif len(condition_name) > Condition._meta.get_field("name").max_length:
        problems.append("column condition: longer than 200 characters")

    body = text("review")
    if not body:
        problems.append("column review: empty")

    rating_text = values[columns["rating"]].strip()
    try:
        rating_value = float(rating_text)
    except ValueError:
        rating_value = None
    if rating_value is None or not rating_value.is_integer() or not 1 <= rating_value <= 10:
        problems.append(f"column rating: {rating_text[:20]!r} is not a whole number from 1 to 10")
        rating = None
    else:
        rating = int(rating_value)

    date_text = values[columns["date"]].strip().strip('"')
    submitted_at = parse_date(date_text)
    if submitted_at is None:
        problems.append(f"column date: {date_text[:30]!r} is not a past date like 'May 20, 2012'")

    count_text = values[columns["usefulCount"]].strip()
    if not count_text:
        helpful_count = 0
    elif count_text.isdigit() and len(count_text) < 10:
        helpful_count = int(count_text)
    else:
        helpful_count = None
        problems.append(f"column usefulCount: {count_text[:20]!r} is not a whole number 0 or more")

    if problems:
        return problems
    return ReviewRow(
        row=number,
        source_id=source_id,
        drug_name=drug_name,
        condition_name=condition_name,
        body=body,
        rating=rating,
        submitted_at=submitted_at,
        helpful_count=helpful_count,
    )


def read_reviews(path, *, encoding=None, on_progress=None) -> Iterator[ReviewRow | RowError]:
    """Stream a review file: a ReviewRow for each good row, a RowError for each bad one.

    Raises ImportFileError when the file as a whole cannot be read.
    """
    try:
        raw = open(path, "rb")  # closed below, once the generator ends
    except OSError as error:
        raise ImportFileError(f"Cannot open {path}: {error.strerror}.") from None
    try:
        sample = raw.read(64 * 1024)
        if not sample.strip():
            raise ImportFileError(f"{path} is empty.")
        encoding = _detect_encoding(sample, encoding)
        _check_text(sample, encoding, path)
        raw.seek(0)
        if on_progress is not None:
            raw = _CountingReader(raw, on_progress)
        is_utf8 = encoding.replace("_", "-").lower().startswith("utf-8")
        stream = io.TextIOWrapper(
            io.BufferedReader(raw, 256 * 1024),
            encoding=encoding,
            errors="surrogateescape" if is_utf8 else "strict",
            newline="",
        )
        first_line = sample.decode(encoding, errors="replace").partition("\n")[0]
        delimiter = _sniff_delimiter(first_line, path)
        reader = csv.reader(stream, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except (csv.Error, StopIteration):
            raise ImportFileError(f"Row 1 (header) of {path} cannot be read.") from None
        except UnicodeDecodeError:
            # The first read decodes a whole buffer, so the bad byte may lie
            # in any of the first rows of the file.
            raise ImportFileError(
                f"{path}: the text near the start cannot be read as {encoding}; "
                "name the file's encoding with --encoding."
            ) from None
        columns = _column_indexes(header, path)
        columns["count"] = len(header)
        parse_date = _DateParser()
        number = 1
        line = reader.line_num
        while True:
            start_line = line + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                number += 1
                line = reader.line_num
                if "unexpected end of data" in str(error):
                    problem = "truncated: the file ends inside a quoted value"
                elif "field larger than field limit" in str(error):
                    problem = (
                        f"a value is longer than {csv.field_size_limit():,} characters "
                        "(or a quote left open swallowed the lines after it)"
                    )
                else:
                    problem = (
                        f"unreadable: a quoted value is not closed where expected ({error}); "
                        "every line it runs over is skipped"
                    )
                yield RowError(number, start_line, (problem,), last_line=line)
                continue
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"{path}: the text after line {line} cannot be read as {encoding}; "
                    "name the file's encoding with --encoding."
                ) from None
            line = reader.line_num
            if not values or (len(values) == 1 and not values[0].strip()):
                continue  # blank lines carry nothing
            number += 1
            parsed = _parse_row(values, columns=columns, number=number, parse_date=parse_date)
            if isinstance(parsed, ReviewRow):
                yield parsed
            else:
                yield RowError(number, start_line, tuple(parsed))
    finally:
        raw.close()


class ContentMatcher:
    """Finds the drug, condition and indication each row names, through the dictionary.

    Each distinct name is resolved once (see dictionary.resolution), so a file
    of a million rows asks about its few thousand names. Rows whose drug or
    condition does not resolve are left for the unmatched-names queue; for the
    others, missing drug-for-condition articles are created in bulk as drafts.
    """

    def __init__(self, summary):
        self._summary = summary
        self._drugs, self._conditions = {}, {}
        self._labels = {Drug: {}, Condition: {}}
        self._indications = {
            (drug_id, condition_id): pk
            for pk, drug_id, condition_id in Indication.objects.values_list(
                "pk", "drug_id", "condition_id"
            )
        }

    def _resolve(self, names, known, resolve, model, outcomes):
        new = {name for name in names if name not in known}
        if not new:
            return
        resolved = resolve(new)
        ids = {pk for pk, _ in resolved.values() if pk is not None} - set(self._labels[model])
        self._labels[model].update(model.objects.filter(pk__in=ids).values_list("pk", "name"))
        for name, (pk, step) in resolved.items():
            known[name] = pk
            outcome = outcomes.setdefault(name, NameOutcome())
            if pk is not None:
                outcome.matched_to, outcome.step = self._labels[model][pk], step

    def match(self, rows):
        """(drug id, indication id or None) for each row, in order; None for a row
        whose drug or condition name is unmatched (it waits in the queue)."""
        summary = self._summary
        self._resolve(
            {row.drug_name for row in rows}, self._drugs, resolve_drug_ids, Drug,
            summary.drug_names,
        )  # fmt: skip
        self._resolve(
            {row.condition_name for row in rows if row.condition_name},
            self._conditions,
            resolve_condition_ids,
            Condition,
            summary.condition_names,
        )
        pairs = []
        for row in rows:
            drug_id = self._drugs[row.drug_name]
            summary.drug_names[row.drug_name].rows += 1
            condition_id = None
            if row.condition_name:
                condition_id = self._conditions[row.condition_name]
                summary.condition_names[row.condition_name].rows += 1
            if drug_id is None or (row.condition_name and condition_id is None):
                pairs.append(None)
            else:
                pairs.append((drug_id, condition_id))
        missing = {
            pair for pair in pairs if pair and pair[1] is not None and pair not in self._indications
        }
        if missing:
            self._create_indications(sorted(missing))
        return [
            None
            if pair is None
            else (pair[0], self._indications[pair] if pair[1] is not None else None)
            for pair in pairs
        ]

    def unmatched(self, row):
        """(drug name, condition name) of `row` that did not resolve ("" when it did)."""
        drug = row.drug_name if self._drugs.get(row.drug_name) is None else ""
        condition = ""
        if row.condition_name and self._conditions.get(row.condition_name) is None:
            condition = row.condition_name
        return drug, condition

    def _create_indications(self, pairs):
        drafts = []
        for drug_id, condition_id in pairs:
            title = f"{self._labels[Drug][drug_id]} for {self._labels[Condition][condition_id]}"
            if len(title) > 200:
                title = title[:199] + "…"
            draft = Indication(
                drug_id=drug_id,
                condition_id=condition_id,
                title=title,
                status=PublicationStatus.DRAFT,
                approval_status=DRAFT_APPROVAL_STATUS,
                approval_note=DRAFT_APPROVAL_NOTE,
                summary=DRAFT_SUMMARY,
                what_it_is=DRAFT_TEXT,
                how_it_works=DRAFT_TEXT,
                benefits=DRAFT_TEXT,
                what_to_expect=DRAFT_TEXT,
            )
            if not drafts:
                # Drafts differ only in their keys and title: checking one a
                # batch still catches a model that gained a required field.
                draft.full_clean(
                    exclude=["drug", "condition"], validate_unique=False, validate_constraints=False
                )
            drafts.append(draft)
        Indication.objects.bulk_create(drafts)
        for pair, draft in zip(pairs, drafts, strict=True):
            self._indications[pair] = draft.pk
        self._summary.draft_indications += len(drafts)


class WaitingQueue:
    """Rows set aside for unmatched names: stored, counted per name, with suggestions."""

    def __init__(self, *, source):
        self.source = source
        self._names = {}  # (kind, key) -> UnmatchedName id
        self.touched = set()
        # Rows of this source waiting from an earlier import may match now. Their
        # ids are few (rows of unknown names), so they are held here and a batch
        # asks the database only about rows that were waiting.
        self._waiting_ids = set(
            WaitingRow.objects.filter(source=source).values_list("source_id", flat=True)
        )

    def _name_ids(self, kind, names):
        wanted = {}
        for name in names:
            if name:
                wanted.setdefault(name_key(name), name)
        missing = {key: name for key, name in wanted.items() if (kind, key) not in self._names}
        if missing:
            for pk, key in UnmatchedName.objects.filter(kind=kind, key__in=missing).values_list(
                "pk", "key"
            ):
                self._names[(kind, key)] = pk
                del missing[key]
        if missing:
            created = UnmatchedName.objects.bulk_create(
                [
                    UnmatchedName(
                        kind=kind, name=name[:200], key=key, suggestions=_suggestions(kind, name)
                    )
                    for key, name in missing.items()
                ]
            )
            if created and created[0].pk is None:  # databases that return no ids
                created = UnmatchedName.objects.filter(kind=kind, key__in=missing)
            for unmatched in created:
                self._names[(kind, unmatched.key)] = unmatched.pk
        return {name: self._names.get((kind, name_key(name))) for name in names if name}

    def add(self, rows, matcher):
        """Store `rows` (ReviewRow) to wait for their unmatched names."""
        if not rows:
            return
        unmatched = [matcher.unmatched(row) for row in rows]
        drug_ids = self._name_ids(UnmatchedName.Kind.DRUG, {drug for drug, _ in unmatched})
        condition_ids = self._name_ids(
            UnmatchedName.Kind.CONDITION, {condition for _, condition in unmatched}
        )
        again = self._waiting_ids.intersection(row.source_id for row in rows)
        existing = (
            {
                waiting.source_id: waiting
                for waiting in WaitingRow.objects.filter(source=self.source, source_id__in=again)
            }
            if again
            else {}
        )
        new, changed = [], []
        for row, (drug, condition) in zip(rows, unmatched, strict=True):
            values = {
                "drug_name_id": drug_ids.get(drug),
                "condition_name_id": condition_ids.get(condition),
                "data": _waiting_data(row),
            }
            self.touched.update(pk for pk in values.values() if isinstance(pk, int))
            waiting = existing.get(row.source_id)
            if waiting is None:
                new.append(WaitingRow(source=self.source, source_id=row.source_id, **values))
            else:
                if all(getattr(waiting, name) == value for name, value in values.items()):
                    continue  # the same row imported again: nothing to write
                self.touched.update(
                    pk for pk in (waiting.drug_name_id, waiting.condition_name_id) if pk
                )
                for name, value in values.items():
                    setattr(waiting, name, value)
                changed.append(waiting)
        WaitingRow.objects.bulk_create(new, batch_size=1000)
        self._waiting_ids.update(waiting.source_id for waiting in new)
        WaitingRow.objects.bulk_update(
            changed, ["drug_name", "condition_name", "data", "queued_at"], batch_size=500
        )

    def release(self, source_ids):
        """Rows that match now no longer wait."""
        source_ids = self._waiting_ids.intersection(source_ids)
        if not source_ids:
            return
        self._waiting_ids -= source_ids
        waiting = WaitingRow.objects.filter(source=self.source, source_id__in=source_ids)
        for ids in waiting.values_list("drug_name_id", "condition_name_id"):
            self.touched.update(pk for pk in ids if pk)
        waiting.delete()

    def recount(self):
        """Store how many rows wait for each name the import touched."""
        if not self.touched:
            return
        names = list(
            UnmatchedName.objects.filter(pk__in=self.touched).annotate(
                drugs=Count("drug_rows", distinct=True),
                conditions=Count("condition_rows", distinct=True),
            )
        )
        for unmatched in names:
            unmatched.row_count = unmatched.drugs + unmatched.conditions
        UnmatchedName.objects.bulk_update(names, ["row_count"], batch_size=500)


def _suggestions(kind, name):
    if kind == UnmatchedName.Kind.DRUG:
        found, model = drug_suggestions(name), Drug
    else:
        found, model = condition_suggestions(name), Condition
    names = dict(model.objects.filter(pk__in=[pk for _, pk in found]).values_list("pk", "name"))
    return [{"id": pk, "name": names[pk], "via": via} for via, pk in found if pk in names]


def _waiting_data(row):
    return {
        "row": row.row,
        "drug": row.drug_name,
        "condition": row.condition_name,
        "body": row.body,
        "rating": row.rating,
        "submitted_at": row.submitted_at.isoformat(),
        "helpful_count": row.helpful_count,
    }


def _row_from_waiting(waiting):
    data = waiting.data
    return ReviewRow(
        row=data["row"],
        source_id=waiting.source_id,
        drug_name=data["drug"],
        condition_name=data["condition"],
        body=data["body"],
        rating=data["rating"],
        submitted_at=datetime.fromisoformat(data["submitted_at"]),
        helpful_count=data["helpful_count"],
    )


def _stored_values(review_row, drug_id, indication_id, now):
    """The Review fields an imported row is written with."""
    held = any(review_row.flags)
    return {
        "source_id": review_row.source_id,
        "drug_id": drug_id,
        "indication_id": indication_id,
        "rating": review_row.rating,
        "body": review_row.body,
        # Lets the duplicate check on new submissions see imported texts.
        "body_hash": body_hash(review_row.body),
        "submitted_at": review_row.submitted_at,
        "helpful_count": review_row.helpful_count,
        **dict(zip(SCREENING_FIELDS, review_row.flags, strict=True)),
        # Only new rows take these: a re-import keeps the stored status.
        "status": Review.Status.PENDING if held else Review.Status.APPROVED,
        "moderated_at": None if held else now,
    }


# The values a re-import may change. Status is left alone on purpose: a
# moderator who rejected an imported review keeps it rejected. The flags follow
# the text they describe.
_UPDATED_FIELDS = (
    "drug_id",
    "indication_id",
    "rating",
    "body",
    "body_hash",
    "submitted_at",
    "helpful_count",
    *SCREENING_FIELDS,
)


class OrmReviewWriter:
    """Bulk writes with the ORM: any database (SQLite in development and tests)."""

    batch_size = 1000

    def __init__(self, *, source):
        self.source = source

    def write(self, matched, *, now):
        """Upsert (ReviewRow, (drug id, indication id)) pairs; returns (created,
        updated, held, ids of drugs and indications touched).

        `held` counts the new rows stored as pending.
        """
        rows = [
            _stored_values(review_row, drug_id, indication_id, now)
            for review_row, (drug_id, indication_id) in matched
        ]
        existing = {
            review.source_id: review
            for review in Review.objects.filter(
                source=self.source, source_id__in=[row["source_id"] for row in rows]
            ).only("source_id", *_UPDATED_FIELDS)
        }
        touched_drugs = set()
        touched_indications = set()
        new = []
        changed = []
        for row in rows:
            touched_drugs.add(row["drug_id"])
            touched_indications.add(row["indication_id"])
            review = existing.get(row["source_id"])
            if review is None:
                new.append(Review(source=self.source, **row))
                continue
            if all(getattr(review, name) == row[name] for name in _UPDATED_FIELDS):
                continue
            touched_drugs.add(review.drug_id)
            touched_indications.add(review.indication_id)
            for name in _UPDATED_FIELDS:
                setattr(review, name, row[name])
            changed.append(review)
        Review.objects.bulk_create(new, batch_size=self.batch_size)
        Review.objects.bulk_update(changed, _UPDATED_FIELDS, batch_size=200)
        touched_indications.discard(None)
        held = sum(1 for review in new if review.status == Review.Status.PENDING)
        return len(new), len(changed), held, touched_drugs, touched_indications


class PostgresReviewWriter:
    """COPY each batch into a temporary table, then one INSERT … ON CONFLICT upsert."""

    batch_size = 10000
    # The staged columns, in the order _copy_lines writes them.
    _staged = ("source_id", "drug_id", "indication_id", "rating", "body", "body_hash",
               "submitted_at", "helpful_count", *SCREENING_FIELDS, "status",
               "moderated_at")  # fmt: skip
    _staging_types = ("text", "bigint", "bigint", "integer", "text", "text", "timestamptz",
                      "bigint", *("boolean",) * len(SCREENING_FIELDS), "text",
                      "timestamptz")  # fmt: skip

    def __init__(self, *, source):
        self.source = source
        self._sql, self._params = self._upsert_sql()
        # With no earlier reviews from this source, a row can only move away
        # from where an earlier batch of this same import put it, and those
        # drugs and indications are recounted anyway.
        self._may_move = Review.objects.filter(source=source).exclude(source_id="").exists()

    def _upsert_sql(self):
        quote = connection.ops.quote_name
        table = quote(Review._meta.db_table)
        # Every other column takes the value a new Review would have, so a
        # column added to the model later needs no change here. Status and
        # moderation time are staged: they depend on each row's screening.
        template = Review(source=self.source)
        columns, selects, params = [], [], []
        for model_field in Review._meta.concrete_fields:
            if model_field.primary_key:
                continue
            columns.append(quote(model_field.column))
            if model_field.attname in self._staged:
                selects.append(f"s.{quote(model_field.attname)}")
            else:
                selects.append("%s")
                value = model_field.pre_save(template, add=True)
                params.append(model_field.get_db_prep_save(value, connection))
        updates = ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in _UPDATED_FIELDS)
        current = ", ".join(f"{table}.{quote(name)}" for name in _UPDATED_FIELDS)
        incoming = ", ".join(f"EXCLUDED.{quote(name)}" for name in _UPDATED_FIELDS)
        # Only quoted model identifiers are interpolated; values are parameters.
        sql = (
            f"WITH upserted AS ("  # noqa: S608
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(selects)} FROM review_import_staging s "
            # In index order: most of the table's indexes lead with the drug or
            # the indication, so sorted rows touch far fewer index pages.
            f"ORDER BY s.drug_id, s.indication_id "
            f"ON CONFLICT (source, source_id) WHERE source_id <> '' "
            f"DO UPDATE SET {updates} "
            f"WHERE ({current}) IS DISTINCT FROM ({incoming}) "
            f"RETURNING (xmax = 0) AS inserted, {quote('status')} = %s AS held) "
            f"SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted), "
            f"count(*) FILTER (WHERE inserted AND held) "
            f"FROM upserted"
        )
        params.append(Review.Status.PENDING.value)
        return sql, params

    @staticmethod
    def _copy_text(value):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )

    def _copy_lines(self, matched, now):
        # Lines of COPY text in _staged order, formatted directly: the generic
        # path (a dict of stored values, then one call per value) was a large
        # share of the importing process's own work on a large file.
        text = self._copy_text
        null = "\\N"
        moderated = now.isoformat()
        approved, pending = Review.Status.APPROVED.value, Review.Status.PENDING.value
        flag_columns = {}  # each of the few combinations of flags, formatted once
        for row, (drug_id, indication_id) in matched:
            held = any(row.flags)
            flags = flag_columns.get(row.flags)
            if flags is None:
                flags = flag_columns[row.flags] = "\t".join("t" if f else "f" for f in row.flags)
            yield (
                f"{text(row.source_id)}\t{drug_id}\t{null if indication_id is None else indication_id}"
                f"\t{row.rating}\t{text(row.body)}\t{body_hash(row.body)}"
                f"\t{row.submitted_at.isoformat()}\t{row.helpful_count}"
                f"\t{flags}"
                f"\t{pending if held else approved}\t{null if held else moderated}\n"
            )

    def write(self, matched, *, now):
        """Upsert (ReviewRow, (drug id, indication id)) pairs; returns (created,
        updated, held, ids of drugs and indications touched).

        `held` counts the new rows stored as pending.
        """
        buffer = io.StringIO("".join(self._copy_lines(matched, now)))
        columns = ", ".join(
            f"{name} {kind}" for name, kind in zip(self._staged, self._staging_types, strict=True)
        )
        table = connection.ops.quote_name(Review._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS review_import_staging ({columns})"
            )
            cursor.execute("TRUNCATE review_import_staging")
            raw_cursor = cursor.cursor
            copy_sql = f"COPY review_import_staging ({', '.join(self._staged)}) FROM STDIN"
            if hasattr(raw_cursor, "copy_expert"):
                raw_cursor.copy_expert(copy_sql, buffer)
            else:
                with raw_cursor.copy(copy_sql) as copy:
                    copy.write(buffer.getvalue())
            # Reviews the batch moves away from a drug or indication: both sides need a recount.
            moved = []
            if self._may_move:
                moved = self._moved(cursor, table)
            cursor.execute(self._sql, self._params)
            created, updated, held = cursor.fetchone()
        touched_drugs = {drug_id for _, (drug_id, _) in matched} | {pk for pk, _ in moved}
        touched_indications = {pk for _, (_, pk) in matched} | {pk for _, pk in moved}
        touched_indications.discard(None)
        return created, updated, held, touched_drugs, touched_indications

    def _moved(self, cursor, table):
        # One index probe per staged row (LATERAL … LIMIT 1 keeps the planner
        # from scanning the whole review table to hash-join a small batch).
        cursor.execute(
            "SELECT DISTINCT r.drug_id, r.indication_id FROM review_import_staging s "  # noqa: S608
            "CROSS JOIN LATERAL ("
            f"SELECT drug_id, indication_id FROM {table} "
            "WHERE source = %s AND source_id = s.source_id AND source_id <> '' LIMIT 1"
            ") r "
            "WHERE r.drug_id <> s.drug_id OR r.indication_id IS DISTINCT FROM s.indication_id",
            [self.source],
        )
        return cursor.fetchall()


def _writer_for_database(source):
    if connection.vendor == "postgresql":
        return PostgresReviewWriter(source=source)
    return OrmReviewWriter(source=source)


# Files smaller than this are screened in the reading thread: starting a worker
# process costs more than it saves on a few thousand rows.
SCREEN_IN_WORKERS_FROM_BYTES = 16 * 1024 * 1024
_SCREEN_CHUNK = 2000


def default_screening_workers(path):
    """How many processes should screen `path`: none for a small file or on one core,
    else one per spare core, at most four."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return 0
    cores = os.cpu_count() or 1
    if size < SCREEN_IN_WORKERS_FROM_BYTES or cores < 2:
        return 0
    return min(4, cores - 1)


def _screened(items, *, workers=0):
    """`items` with each ReviewRow's screening flags set, in the same order.

    Screening costs several times what reading a row does, so for a large file
    it runs in `workers` processes, a few chunks ahead of the reader, while this
    process reads and writes; with no workers it runs here.
    """
    try:
        if workers:
            yield from _screened_in_workers(items, workers)
        else:
            for item in items:
                if isinstance(item, ReviewRow):
                    _set_flags([item], flags_of([item.body]))
                yield item
    finally:
        items.close()


def _set_flags(chunk, flags):
    rows = (item for item in chunk if isinstance(item, ReviewRow))
    for row, values in zip(rows, flags, strict=True):
        row.flags = tuple(values)
    return chunk


def _screened_in_workers(items, workers):
    # spawn: a fresh interpreter, never a copy of this one's threads and connections.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    pending = deque()

    def submit(chunk):
        bodies = [item.body for item in chunk if isinstance(item, ReviewRow)]
        pending.append((chunk, pool.submit(flags_of, bodies)))

    def oldest():
        chunk, future = pending.popleft()
        return _set_flags(chunk, future.result())

    try:
        chunk = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= _SCREEN_CHUNK:
                submit(chunk)
                chunk = []
                if len(pending) > 2 * workers:
                    yield from oldest()
        submit(chunk)
        while pending:
            yield from oldest()
    finally:
        pool.shutdown(cancel_futures=True)


_DONE = object()


def _read_ahead(items, *, chunk_size=2000, depth=8):
    """Iterate `items` in a thread of its own, a few chunks ahead of the caller.

    Parsing is Python work and writing mostly waits on the database (which
    releases the GIL), so the two overlap. All database work stays in the
    caller's thread, inside the caller's transaction.
    """
    chunks = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(value):
        while not stop.is_set():
            try:
                chunks.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            chunk = []
            for item in items:
                chunk.append(item)
                if len(chunk) >= chunk_size:
                    if not put(chunk):
                        return
                    chunk = []
            put(chunk)
            put(_DONE)
        except Exception as error:  # handed to the caller, which raises it
            put(error)

    reader = threading.Thread(target=produce, name="review-import-reader", daemon=True)
    reader.start()
    try:
        while True:
            value = chunks.get()
            if value is _DONE:
                return
            if isinstance(value, Exception):
                raise value
            yield from value
    finally:
        stop.set()
        reader.join()
        items.close()


# A file at least this large, holding twice the text the review table does or
# more, is a bulk load: the list indexes are dropped and built again at the end.
# Updating ten sort indexes row by row cost a million-row import into an empty
# table more than a third of its time; building them from the finished table
# takes seconds. Importing the same file again (mostly unchanged rows) is no
# bulk load: it writes few index entries, and a rebuild would be wasted.
REBUILD_LIST_INDEXES_FROM_BYTES = 64 * 1024 * 1024


def is_bulk_load(path, *, from_bytes=REBUILD_LIST_INDEXES_FROM_BYTES):
    """True when importing `path` should build the list indexes afresh (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return False
    try:
        size = os.path.getsize(path)
    except OSError:
        return False
    if size < from_bytes:
        return False
    stored = Review.objects.aggregate(bytes=Sum(Length("body")))["bytes"] or 0
    return size > 2 * stored


def _list_index_editor():
    # Outside a transaction, CONCURRENTLY: readers and writers carry on while an
    # index is dropped or built. Inside one (an enclosing atomic block), plainly,
    # after the deferred key checks of rows written so far, which PostgreSQL
    # requires before it changes the table's indexes.
    concurrently = not connection.in_atomic_block
    if not concurrently:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return connection.schema_editor(atomic=False), concurrently


def list_indexes_drop():
    """Drop the review list indexes for a bulk load (list_indexes_restore builds them)."""
    editor, concurrently = _list_index_editor()
    with editor:
        for index in REVIEW_LIST_INDEXES:
            editor.remove_index(Review, index, concurrently=concurrently)


def list_indexes_restore():
    """Build each review list index that is missing or was left unusable by an
    interrupted build (PostgreSQL only); returns the names built.

    Every import runs this first, so an import stopped before it could build
    its indexes again is mended by the next one.
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass",
            [Review._meta.db_table],
        )
        valid = dict(cursor.fetchall())
    missing = [index for index in REVIEW_LIST_INDEXES if not valid.get(index.name)]
    if not missing:
        return []
    editor, concurrently = _list_index_editor()
    with editor:
        for index in missing:
            if index.name in valid:  # present but invalid: a build that did not finish
                editor.remove_index(Review, index, concurrently=concurrently)
            editor.add_index(Review, index, concurrently=concurrently)
    return [index.name for index in missing]


class _RollBack(Exception):
    """Raised inside the transaction to undo a dry run or a refused atomic import."""


def reviews_import(
    *,
    path,
    source=DEFAULT_SOURCE,
    atomic=False,
    dry_run=False,
    encoding=None,
    on_progress: Callable[[int], None] | None = None,
    batch_size=None,
    screening_workers=None,
    rebuild_list_indexes=None,
) -> ImportSummary:
    """Import a review export file; returns what was done.

    Valid rows are approved reviews with their original dates and helpful
    counts, except that a new row whose text screening flags is stored pending
    for a moderator (a re-import never changes a stored review's status).
    Drug and condition names resolve through the dictionary; a row with a name
    that does not resolve waits in the unmatched-names queue (summary.queued),
    and no drug or condition is invented for it; missing drug-for-condition
    articles become unpublished drafts. Rating and mention figures are brought
    up to date. Bad rows are skipped
    and listed, or with `atomic` nothing is saved when any row is bad. `dry_run`
    does everything, then rolls it all back. `screening_workers` is how many
    processes screen the texts (0: none, this one does; default: by file size).
    `rebuild_list_indexes` drops the review list indexes for the import and
    builds them again after it, even when it fails (default: for a bulk load on
    PostgreSQL, see is_bulk_load; never for an atomic import or a dry run, which
    would hold their locks to the end).
    Raises ImportFileError when the file as a whole cannot be read.
    """
    summary = ImportSummary()
    writer = _writer_for_database(source)
    batch_size = batch_size or writer.batch_size
    touched_drugs, touched_indications = set(), set()

    def flush(batch):
        review_rows = list(batch.values())
        matcher, waiting = state["matcher"], state["waiting"]
        with transaction.atomic():
            matches = matcher.match(review_rows)
            matched = [
                (row, match) for row, match in zip(review_rows, matches, strict=True) if match
            ]
            queued = [row for row, match in zip(review_rows, matches, strict=True) if not match]
            waiting.add(queued, matcher)
            waiting.release([row.source_id for row, _ in matched])
            if matched:
                created, updated, held, drugs, indications = writer.write(
                    matched, now=timezone.now()
                )
            else:
                created, updated, held, drugs, indications = 0, 0, 0, set(), set()
        summary.queued += len(queued)
        summary.created += created
        summary.updated += updated
        summary.held += held
        touched_drugs.update(drugs)
        touched_indications.update(indications)

    def run():
        state["matcher"] = ContentMatcher(summary)
        state["waiting"] = WaitingQueue(source=source)
        batch = {}
        valid = 0
        items = _screened(
            read_reviews(path, encoding=encoding, on_progress=on_progress),
            workers=default_screening_workers(path)
            if screening_workers is None
            else screening_workers,
        )
        for item in _read_ahead(items):
            summary.rows += 1
            if isinstance(item, RowError):
                summary.add_error(item)
                continue
            valid += 1
            batch[item.source_id] = item
            if len(batch) >= batch_size:
                flush(batch)
                batch = {}
        if batch:
            flush(batch)
        summary.unchanged = valid - summary.created - summary.updated - summary.queued

    def recount():
        if "waiting" in state:
            with transaction.atomic():
                state["waiting"].recount()
        if touched_drugs or touched_indications:
            # Also refreshes cached pages, which bulk writes (sending no signals) cannot.
            _recount(touched_drugs, touched_indications)
        if (summary.created or summary.updated) and not dry_run:
            # Bulk writes stored no mentions for the new and changed texts. One
            # batched rebuild costs about what rescanning a large import's reviews
            # would, without a list of every review id written.
            mentions_recompute_all()

    state = {}
    try:
        if atomic or dry_run:
            try:
                with transaction.atomic():
                    run()
                    recount()
                    if dry_run or summary.skipped:
                        raise _RollBack
            except _RollBack:
                summary.saved = False
        else:
            # Mends what an interrupted bulk load left out.
            summary.rebuilt_list_indexes = bool(list_indexes_restore())
            if rebuild_list_indexes is None:
                rebuild_list_indexes = is_bulk_load(path)
            if rebuild_list_indexes:
                list_indexes_drop()
            # Batches are committed as they go, so figures are recounted for
            # whatever was saved, even when a later batch fails.
            try:
                run()
            finally:
                if rebuild_list_indexes:
                    summary.rebuilt_list_indexes = bool(list_indexes_restore())
                recount()
    except OSError as error:
        raise ImportFileError(f"Reading {path} failed: {error.strerror or error}.") from None
    except ValidationError as error:
        # Only a draft article that fails its own model checks can get here.
        raise ImportFileError(f"A draft could not be created: {error}") from None
    except DatabaseError as error:
        raise ImportFileError(
            f"The database refused the import ({error}); "
            "rows in batches before this one were saved (run again to finish)."
        ) from None
    return summary


def _recount(drug_ids, indication_ids):
    with transaction.atomic():
        ratings_recount(drug_ids=sorted(drug_ids), indication_ids=sorted(indication_ids))


def waiting_rows_import(*, names=None) -> ImportSummary:
    """Import the waiting rows whose names all resolve now; returns what was done.

    Called after an editor maps an unmatched name (with that name's id in
    `names`; None: every waiting row). Rows are screened again with today's
    screening, written as a file's rows are, and leave the queue; rows still
    waiting for another name stay. Rating and mention figures of the drugs
    written to are brought up to date.
    """
    summary = ImportSummary()
    rows = WaitingRow.objects.order_by("pk")
    if names is not None:
        rows = rows.filter(Q(drug_name__in=names) | Q(condition_name__in=names))
    touched_drugs, touched_indications = set(), set()
    with transaction.atomic():
        for source in rows.order_by().values_list("source", flat=True).distinct():
            writer = _writer_for_database(source)
            matcher, waiting = ContentMatcher(summary), WaitingQueue(source=source)
            written = []
            for start in range(0, 10**9, _SCREEN_CHUNK):
                chunk = list(rows.filter(source=source)[start : start + _SCREEN_CHUNK])
                if not chunk:
                    break
                review_rows = [_row_from_waiting(row) for row in chunk]
                _set_flags(review_rows, flags_of([row.body for row in review_rows]))
                summary.rows += len(review_rows)
                matches = matcher.match(review_rows)
                matched = [
                    (row, match) for row, match in zip(review_rows, matches, strict=True) if match
                ]
                summary.queued += len(review_rows) - len(matched)
                if matched:
                    created, updated, held, drugs, indications = writer.write(
                        matched, now=timezone.now()
                    )
                    summary.created += created
                    summary.updated += updated
                    summary.held += held
                    touched_drugs.update(drugs)
                    touched_indications.update(indications)
                    written += [row.source_id for row, _ in matched]
            waiting.release(written)
            waiting.touched.update(names or ())
            waiting.recount()
            review_ids = Review.objects.filter(source=source, source_id__in=written).values_list(
                "pk", flat=True
            )
            mentions_reviews_changed(review_ids=list(review_ids))
        if touched_drugs or touched_indications:
            ratings_recount(
                drug_ids=sorted(touched_drugs), indication_ids=sorted(touched_indications)
            )
    return summary
