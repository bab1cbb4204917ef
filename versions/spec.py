"""What a page's version contains, declared once per page model.

The declaration is read by everything that handles a version: the snapshot
taken when an editor saves, the sign-off fingerprint, the field-level diff, the
apply step that makes a version live, the admin and the export. Content apps
register their page models when they load (`AppConfig.ready`); an app above a
content app adds rows of its own to a page with `add_child`, so the lower app
never imports the higher one.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Child:
    """Rows on another table that belong to the page (side effects, sources, sections)."""

    name: str  # the page's related accessor, e.g. "side_effects"
    model: type
    fk: str  # attname of the foreign key to the page, e.g. "drug_id"
    fields: tuple  # content field names, foreign keys by field name
    label: str  # how staff read the group, e.g. "Side effects"
    label_fields: tuple = ()  # fields naming one row in a diff (default: all)


@dataclass
class PageSpec:
    model: type
    fields: tuple  # content fields: plain, foreign keys and many-to-many, by name
    children: list = field(default_factory=list)
    tags: bool = False  # the page has a django-taggit `tags` manager
    labels: dict = field(default_factory=dict)  # field name → label staff read

    def label(self, name):
        if name in self.labels:
            return self.labels[name]
        return str(self.model._meta.get_field(name).verbose_name).capitalize()

    def child(self, name):
        return next(child for child in self.children if child.name == name)


_specs = {}
# Children added before their page model was declared (apps load in any order).
_pending = {}


def register(spec):
    """Declare a page model's version content."""
    _specs[spec.model] = spec
    for child in _pending.pop(spec.model, []):
        add_child(spec.model, child)
    return spec


def add_child(model, child):
    """Add another app's rows to a declared page (called by the higher app at start-up)."""
    spec = _specs.get(model)
    if spec is None:
        _pending.setdefault(model, []).append(child)
    elif all(existing.name != child.name for existing in spec.children):
        spec.children.append(child)


def spec_for(model_or_page):
    model = model_or_page if isinstance(model_or_page, type) else type(model_or_page)
    return _specs[model._meta.concrete_model]


def is_page(obj):
    return type(obj) in _specs


def page_models():
    return list(_specs)
