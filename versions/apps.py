from django.apps import AppConfig


class VersionsConfig(AppConfig):
    """Stored versions of pages: snapshots, diffs and the live/draft pointers' data.

    Generic machinery: it knows no drug. Content apps declare what a page's
    version holds (`versions.spec.register`) and this app reads, stores, applies
    and compares versions from that declaration alone.
    """

    name = "versions"
    verbose_name = "Page versions"
