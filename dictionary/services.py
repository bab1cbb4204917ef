"""Every change to the dictionary and the unmatched-names queue goes through here."""

import codecs
import csv
import gzip
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from caching import generation, invalidate, row_key
from drugs.models import Condition, Drug, PublicationStatus
from editorial.services import page_save_draft

from . import resolution
from .keys import name_key
from .models import DrugName, UnmatchedName
from .regions import split_regions, validate_regions

DATA_DIR = Path(__file__).resolve().parent / "data"
# The reference dictionary, then the regions editors keep for well-known brands
# (the reference has none); a later file's row for the same name wins.
DEFAULT_FILES = (DATA_DIR / "drug_names.tsv.gz", DATA_DIR / "brand_regions.tsv")
HEADER = ("name", "drug", "kind", "regions")
MAX_LISTED_PROBLEMS = 20
NEW_DRUG_SUMMARY = "Not written yet: created from the unmatched-names queue. Write this page."


class DictionaryFileError(Exception):
    """A dictionary file that cannot be imported as a whole; nothing was written."""


@dataclass
class DictionaryImportSummary:
    rows: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    # Rows an editor changed or marked wrong: a refresh never touches them.
    kept_for_editors: int = 0
    # Reference names whose drug is not on the site (nothing to attach them to).
    no_drug_on_site: int = 0
    drugs_matched: int = 0
    # The same name under two drugs in the files: the first is kept.
    conflicts: list[str] = field(default_factory=list)
    saved: bool = True


@dataclass(frozen=True)
class _Entry:
    line: int
    name: str
    drug: str
    kind: str
    regions: str


def _open_text(path):
    """The file's text; gzip-compressed files are read as such. Raises DictionaryFileError."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise DictionaryFileError(f"Cannot read {path}: {error.strerror or error}.") from None
    if raw.startswith(b"\x1f\x8b"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise DictionaryFileError(
                f"{path} is gzip-compressed but damaged ({error}); download it again."
            ) from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DictionaryFileError(
            f"{path} is not UTF-8 text (line {line}); a dictionary file is tab-separated "
            "UTF-8 text, optionally gzip-compressed."
        ) from None


def read_dictionary_file(path):
    """[_Entry] of a tab-separated dictionary file, every row checked first.

    Columns: name, drug (the generic the name means), kind (brand, generic or
    other), and optionally regions. Raises DictionaryFileError naming the
    problems when any row is wrong, so that nothing is written from a bad file.
    """
    text = _open_text(path)
    if "\x00" in text:
        raise DictionaryFileError(f"{path} is not a text file (it contains binary data).")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        header = [column.strip().casefold() for column in next(reader)]
    except StopIteration:
        raise DictionaryFileError(f"{path} is empty.") from None
    if tuple(header) not in (HEADER, HEADER[:3]):
        raise DictionaryFileError(
            f"Line 1 of {path}: expected the tab-separated columns "
            f"{', '.join(HEADER)} (regions optional); found {', '.join(header) or 'nothing'}."
        )
    kinds = set(DrugName.Kind.values)
    entries, problems = [], []
    for values in reader:
        line = reader.line_num
        if not values or not "".join(values).strip():
            continue
        if len(values) < 3 or len(values) > 4:
            problems.append(f"line {line}: {len(values)} columns, expected 3 or 4")
            continue
        name, drug, kind = (" ".join(value.split()) for value in values[:3])
        regions = values[3] if len(values) == 4 else ""
        if not name_key(name) or not name_key(drug):
            problems.append(f"line {line}: the name and the drug must not be empty")
        elif len(name) > 200 or len(drug) > 200:
            problems.append(f"line {line}: a name is longer than 200 characters")
        if kind not in kinds:
            problems.append(f"line {line}: kind {kind!r} is not one of {', '.join(sorted(kinds))}")
        try:
            validate_regions(regions)
        except ValidationError as error:
            problems.append(f"line {line}: {error.messages[0]}")
        entries.append(_Entry(line, name, drug, kind, ", ".join(split_regions(regions))))
    if problems:
        listed = "; ".join(problems[:MAX_LISTED_PROBLEMS])
        more = len(problems) - MAX_LISTED_PROBLEMS
        raise DictionaryFileError(
            f"{path}: {len(problems)} bad row(s), nothing was imported: {listed}"
            + (f"; and {more} more" if more > 0 else "")
        )
    if not entries:
        raise DictionaryFileError(f"{path} has a header but no names.")
    return entries


def _display_name(name, kind):
    # The reference writes every name in lower case; brands are proper names.
    if kind == DrugName.Kind.BRAND and name == name.lower():
        return " ".join(word[:1].upper() + word[1:] for word in name.split(" "))
    return name


def dictionary_import(*, paths=DEFAULT_FILES, dry_run=False):
    """Import or refresh the reference names of the drugs on the site; returns a summary.

    Each file row names a drug by its generic; rows for drugs the site has are
    added as their names (resolved as the importer resolves names, without
    guessing at spellings). Reference rows no longer in the files are removed,
    changed ones updated; rows an editor added, changed or marked wrong are
    never touched. Every file is read and checked before anything is written,
    and it all happens in one transaction. Raises DictionaryFileError.
    """
    entries = {}
    summary = DictionaryImportSummary()
    for path in paths:
        for entry in read_dictionary_file(path):
            summary.rows += 1
            key = name_key(entry.name)
            earlier = entries.get(key)
            if earlier is not None and name_key(earlier.drug) != name_key(entry.drug):
                summary.conflicts.append(f"{entry.name} ({earlier.drug}, {entry.drug})")
                continue
            if earlier is not None and not entry.regions:
                entry = _Entry(entry.line, entry.name, entry.drug, entry.kind, earlier.regions)
            entries[key] = entry

    with transaction.atomic():
        index = resolution.drug_index_for_import()
        drug_for = {}
        for drug in {name_key(entry.drug): entry.drug for entry in entries.values()}.values():
            drug_for[name_key(drug)] = resolution.drug_id_without_guessing(index, drug)
        summary.drugs_matched = sum(1 for pk in drug_for.values() if pk is not None)
        existing = {row.key: row for row in DrugName.objects.all()}
        now = timezone.now()
        new, changed, wanted = [], [], set()
        for key, entry in entries.items():
            drug_id = drug_for[name_key(entry.drug)]
            if drug_id is None:
                summary.no_drug_on_site += 1
                continue
            if key in index.own:
                continue  # a drug's own name or slug: it resolves already
            wanted.add(key)
            name = _display_name(entry.name, entry.kind)
            row = existing.get(key)
            if row is None:
                new.append(
                    DrugName(
                        drug_id=drug_id,
                        name=name,
                        key=key,
                        kind=entry.kind,
                        regions=entry.regions,
                        source=DrugName.Source.REFERENCE,
                    )
                )
            elif row.is_edited or row.is_rejected or row.source != DrugName.Source.REFERENCE:
                summary.kept_for_editors += 1
            elif (row.drug_id, row.name, row.kind, row.regions) != (
                drug_id,
                name,
                entry.kind,
                entry.regions,
            ):
                row.drug_id, row.name, row.kind, row.regions = (
                    drug_id,
                    name,
                    entry.kind,
                    entry.regions,
                )
                # bulk_update skips auto_now; other processes see the change through it.
                row.updated_at = now
                changed.append(row)
        stale_rows = [
            row
            for key, row in existing.items()
            if key not in wanted
            and row.source == DrugName.Source.REFERENCE
            and not (row.is_edited or row.is_rejected)
        ]
        stale = [row.pk for row in stale_rows]
        DrugName.objects.filter(pk__in=stale).delete()
        DrugName.objects.bulk_create(new, batch_size=1000)
        DrugName.objects.bulk_update(
            changed, ["drug", "name", "kind", "regions", "updated_at"], batch_size=500
        )
        summary.added, summary.updated, summary.removed = len(new), len(changed), len(stale)
        if summary.added or summary.updated or summary.removed:
            # Drug pages list brand names; bulk writes send no signal.
            invalidate(
                *{row_key(Drug, row.drug_id) for row in (*new, *changed, *stale_rows)},
                generation.CONTENT,
            )
        if dry_run:
            summary.saved = False
            transaction.set_rollback(True)
    resolution.forget_indexes()
    return summary


def drug_name_save(*, drug_name):
    """Save a name an editor added or changed: checked, and kept from dictionary refreshes."""
    drug_name.full_clean()
    drug_name.is_edited = True
    if drug_name.pk is None:
        drug_name.source = DrugName.Source.EDITOR
    with transaction.atomic():
        drug_name.save()
    return drug_name


def _unique_slug(model, name):
    base = slugify(name)[:190].strip("-") or model._meta.model_name
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def unmatched_name_map(*, unmatched, drug=None, condition=None, create_new=False, user=None):
    """Record what an unmatched name means: an existing drug or condition, or a new
    draft one named after it (`create_new`). Later lookups and imports follow the
    mapping; the caller imports the rows that were waiting for it.

    Raises ValidationError for a mapping of the wrong kind, to an archived
    record, or to nothing; nothing is saved then.
    """
    is_drug = unmatched.kind == UnmatchedName.Kind.DRUG
    target = drug if is_drug else condition
    field_name = "mapped_drug" if is_drug else "mapped_condition"
    wrong = condition if is_drug else drug
    if wrong is not None:
        raise ValidationError(
            {field_name: f"{unmatched.name} is a {unmatched.get_kind_display().lower()} name."}
        )
    if create_new and target is not None:
        raise ValidationError(
            {field_name: "Choose an existing record or ask for a new one, not both."}
        )
    with transaction.atomic():
        if create_new:
            model = Drug if is_drug else Condition
            target = model(
                name=unmatched.name,
                slug=_unique_slug(model, unmatched.name),
                summary=NEW_DRUG_SUMMARY,
                status=PublicationStatus.DRAFT,
            )
            target.full_clean()
            target.save()
            # A page like any other: its first draft version, as the admin's "add" stores it.
            page_save_draft(
                page=target, user=user, comment="Created from the unmatched-names queue."
            )
        if target is None:
            raise ValidationError({field_name: "Choose what this name means."})
        if target.status == PublicationStatus.ARCHIVED:
            raise ValidationError(
                {field_name: f"{target.name} is archived: map the name to a current record."}
            )
        setattr(unmatched, field_name, target)
        unmatched.mapped_by = user
        unmatched.mapped_at = timezone.now()
        unmatched.full_clean()
        unmatched.save()
    resolution.forget_indexes()
    return unmatched
