"""Time and peak memory of `import_reviews` on generated files, on PostgreSQL.

Usage: python bench/import_reviews.py [ROWS ...]   (default: 100000 1000000)

Each size is imported into a fresh database of its own (BENCH_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/formulary_bench_reviews, dropped and
created again), by the real management command in a child process, so the
peak memory measured is the importer's own. The same file is then imported a
second time to time the idempotent re-run. Results go to
bench/results/import_reviews.md and .json.

Before importing, the database gets the drugs and conditions the file names,
as a site would have them, so every name goes through dictionary matching:
most by their own name, some only through a brand name, a close misspelling
or (conditions) a name the export cut short, and a few not at all, so their
rows wait in the unmatched-names queue.
"""

import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg2
from dataset import recreate_database

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/formulary_bench_reviews"
TARGET_SECONDS = 120

WORDS = (
    "the first few weeks were hard but it settled down and now I feel much better my "
    "doctor started me on a low dose side effects were mild dry mouth headache tired "
    "sleep stomach nausea after meals I would recommend talking to your pharmacist it "
    "worked well for me though results took a while patience helped skin clear pain "
    "less often energy mood improved slightly worse at night better in the morning "
    "switched from another medicine because of cost insurance"
).split()
SYLLABLES = ("ra", "lo", "xi", "ben", "tor", "za", "mi", "pen", "dol", "vex", "cor", "tri")


def _names(rng, count, suffixes):
    names = set()
    while len(names) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        names.add(stem.capitalize() + rng.choice(suffixes))
    return sorted(names)


def _file_names(rng):
    drugs = _names(rng, 3000, ("mab", "pril", "statin", "olol", "azole", "ine", "ide", ""))
    conditions = _names(rng, 800, (" Disorder", " Syndrome", "itis", " Pain", ""))
    return drugs, conditions


# Of the file's drug names, how many name the drug only through the dictionary,
# are misspelt by one letter, or are unknown (their rows are queued).
BRANDS, MISSPELT, UNKNOWN = 300, 100, 30
# Conditions the file cuts short by their last letter, and unknown ones.
CUT_SHORT, UNKNOWN_CONDITIONS = 40, 8

SEED_SCRIPT = """
import json, sys
import django
django.setup()
from django.utils.text import slugify
from dictionary.keys import name_key
from dictionary.models import DrugName
from drugs.models import Condition, Drug, PublicationStatus
drugs, conditions = json.load(open(sys.argv[1]))
published = PublicationStatus.PUBLISHED
Drug.objects.bulk_create(
    [Drug(name=name, slug=f"{slugify(name)}-{n}", summary="Bench.", status=published)
     for n, (name, _) in enumerate(drugs)], batch_size=1000)
by_name = dict(Drug.objects.values_list("name", "pk"))
DrugName.objects.bulk_create(
    [DrugName(drug_id=by_name[name], name=brand, key=name_key(brand), kind="brand",
              source="editor") for name, brand in drugs if brand], batch_size=1000)
Condition.objects.bulk_create(
    [Condition(name=name, slug=f"{slugify(name)}-{n}", summary="Bench.", status=published)
     for n, name in enumerate(conditions)], batch_size=1000)
"""


def site_content(seed=7):
    """The drugs (name, brand the file uses or None) and conditions the site has."""
    rng = random.Random(seed)
    drugs, conditions = _file_names(rng)
    site_drugs = []
    for number, name in enumerate(drugs):
        if number < UNKNOWN:
            continue
        if number < UNKNOWN + BRANDS:
            site_drugs.append((f"Generic {name}", name))
        elif number < UNKNOWN + BRANDS + MISSPELT:
            # The file misspells it: the site's name has one more letter.
            site_drugs.append((name + "x", None))
        else:
            site_drugs.append((name, None))
    site_conditions = []
    for number, name in enumerate(conditions):
        if number < UNKNOWN_CONDITIONS:
            continue
        site_conditions.append(name + "r" if number < UNKNOWN_CONDITIONS + CUT_SHORT else name)
    return site_drugs, site_conditions


def seed(env, workdir):
    names = Path(workdir) / "site.json"
    names.write_text(json.dumps(site_content()))
    subprocess.run(
        [sys.executable, "-c", SEED_SCRIPT, str(names)],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)},
        check=True,
        cwd=ROOT,
    )


def generate(path, rows, seed=7):
    """Write a review export of `rows` rows, shaped like the real format."""
    rng = random.Random(seed)
    drugs, conditions = _file_names(rng)
    pairs = [(rng.choice(drugs), rng.choice(conditions)) for _ in range(12000)]
    start = date(2008, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("\tdrugName\tcondition\treview\trating\tdate\tusefulCount\n")
        for number in range(rows):
            drug, condition = rng.choice(pairs)
            text = " ".join(rng.choices(WORDS, k=rng.randint(20, 140)))
            if number % 7 == 0:
                text += " I couldn&#039;t believe it &amp; neither could my doctor."
            review = '"""' + text.capitalize() + '."""'
            when = start + timedelta(days=rng.randrange(3650))
            out.write(
                f"{200000 + number}\t{drug}\t{condition}\t{review}\t{rng.randint(1, 10)}.0\t"
                f"{when:%B} {when.day}, {when.year}\t{rng.randrange(200)}\n"
            )


def _backend_cpu_seconds(pid):
    """CPU time a local PostgreSQL backend has used so far (user + system)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(args, env, url):
    """Run a command in a child process and measure it.

    Returns wall seconds, the child's peak RSS (MiB), and the CPU seconds used
    by the child and by its database backend. CPU time hardly changes with
    other load on the machine, so it shows what the import costs even when the
    wall time is inflated by other work.
    """
    monitor = psycopg2.connect(url)
    monitor.autocommit = True
    started = time.perf_counter()
    child = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    backend_cpu = {}
    while True:
        # WNOHANG: reap the child (and read its resource usage) only once it has ended.
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        with monitor.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            for (backend,) in cursor.fetchall():
                cpu = _backend_cpu_seconds(backend)
                if cpu is not None:
                    backend_cpu[backend] = cpu
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    monitor.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed with exit code {child.returncode}")
    return {
        "seconds": seconds,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "importer_cpu_seconds": usage.ru_utime + usage.ru_stime,
        "database_cpu_seconds": sum(backend_cpu.values()),
    }


def bench(rows, url, workdir):
    path = Path(workdir) / f"reviews_{rows}.tsv"
    generate(path, rows)
    recreate_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    seed(env, workdir)
    command = [python, "manage.py", "import_reviews", str(path), "-v0"]
    # Other work on the machine slows every figure; the load is reported with them.
    load_before = os.getloadavg()[0]
    first = _run(command, env, url)
    rerun = _run(command, env, url)
    load_after = os.getloadavg()[0]
    size_mb = path.stat().st_size / 1024 / 1024
    path.unlink()
    return {
        "rows": rows,
        "file_mib": round(size_mb, 1),
        "first_import_seconds": round(first["seconds"], 1),
        "rows_per_second": round(rows / first["seconds"]),
        "first_import_peak_rss_mib": round(first["peak_rss_mib"]),
        "first_import_importer_cpu_seconds": round(first["importer_cpu_seconds"], 1),
        "first_import_database_cpu_seconds": round(first["database_cpu_seconds"], 1),
        "rerun_seconds": round(rerun["seconds"], 1),
        "rerun_peak_rss_mib": round(rerun["peak_rss_mib"]),
        "rerun_importer_cpu_seconds": round(rerun["importer_cpu_seconds"], 1),
        "rerun_database_cpu_seconds": round(rerun["database_cpu_seconds"], 1),
        "load_average_before_after": [round(load_before, 1), round(load_after, 1)],
    }


def main():
    sizes = [int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000]
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for rows in sorted(sizes):
            result = bench(rows, url, workdir)
            print(json.dumps(result))
            results.append(result)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": "PostgreSQL",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"benchmark": "import_reviews", "machine": machine, "results": results}
    (RESULTS / "import_reviews.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Review import benchmark",
        "",
        f"Generated drug-review exports (3,000 drug names, 800 condition names), imported by "
        f"`manage.py import_reviews` into a PostgreSQL database with no reviews, then "
        f"imported again "
        f"(every row unchanged). Every name is matched through the drug dictionary: "
        f"{BRANDS} drug names are brands known only to the dictionary, {MISSPELT} are "
        f"misspelt, {CUT_SHORT} condition names are cut short, and the rows of {UNKNOWN} drug "
        f"and {UNKNOWN_CONDITIONS} condition names nobody knows wait in the unmatched-names "
        f"queue. {machine['cpus']} CPUs, Python {machine['python']}. "
        f"Peak memory is the importing process's maximum resident set size. CPU is the "
        f"seconds of processor time used by the importer (with its screening worker "
        f"processes) and by its PostgreSQL backend; together, spread over the machine's "
        f"cores, they are the least time the import can take. The load average shows "
        f"how busy the machine was with other work, which stretches the wall-clock figures. "
        f"Target: 1,000,000 rows in under {TARGET_SECONDS} s with flat memory.",
        "",
        "| rows | file | import | rows/s | peak memory | CPU: importer + database "
        "| re-run | re-run peak | re-run CPU | load (1 min) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['rows']:,} | {r['file_mib']} MiB | {r['first_import_seconds']} s | "
            f"{r['rows_per_second']:,} | {r['first_import_peak_rss_mib']} MiB | "
            f"{r['first_import_importer_cpu_seconds']} s + "
            f"{r['first_import_database_cpu_seconds']} s | "
            f"{r['rerun_seconds']} s | {r['rerun_peak_rss_mib']} MiB | "
            f"{r['rerun_importer_cpu_seconds']} s + {r['rerun_database_cpu_seconds']} s | "
            f"{r['load_average_before_after'][0]} → {r['load_average_before_after'][1]} |"
        )
    lines.append("")
    lines.append("Regenerate with `python bench/import_reviews.py` (needs PostgreSQL).")
    (RESULTS / "import_reviews.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
