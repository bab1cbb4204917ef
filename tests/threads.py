"""Running one piece of test code from many threads at once, each with its own connection."""

import threading

from django.db import connection


def run_in_threads(count, target):
    """Start `target(n)` in `count` threads released together; returns the errors raised."""
    barrier = threading.Barrier(count)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            target(n)
        except Exception as error:  # noqa: BLE001 - reported to the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
