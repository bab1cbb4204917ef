from django import template

from dictionary.models import DrugName
from dictionary.regions import GROUP_CODES

register = template.Library()

# Names for the regions brands are most often listed under; others show their code.
REGION_NAMES = {
    **GROUP_CODES,
    "US": "United States",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "CA": "Canada",
    "AU": "Australia",
    "NZ": "New Zealand",
    "FR": "France",
    "DE": "Germany",
    "ES": "Spain",
    "IT": "Italy",
    "NL": "Netherlands",
    "IN": "India",
    "ZA": "South Africa",
}
ANYWHERE = "Region not recorded"


@register.simple_tag
def brand_names_by_region(drug):
    """[(region name, [brand names])] for `drug`: one query, regions in a stable order.

    A brand used in several regions is listed under each; brands whose regions
    nobody has recorded come last.
    """
    groups = {}
    for name, regions in DrugName.objects.brands().filter(drug=drug).values_list("name", "regions"):
        codes = [code.strip() for code in regions.split(",") if code.strip()] or [None]
        for code in codes:
            groups.setdefault(code, []).append(name)
    ordered = sorted(groups, key=lambda code: (code is None, REGION_NAMES.get(code, code or "")))
    return [(REGION_NAMES.get(code, code) if code else ANYWHERE, groups[code]) for code in ordered]
