"""Patient information is edited on the drug's own admin page, as one inline of sections."""

from django.contrib import admin

from .models import LeafletSection


class LeafletSectionInline(admin.StackedInline):
    """The drug's patient information sections; any change goes into the drug's draft."""

    model = LeafletSection
    fields = ("kind", "body", "position")
    extra = 0
    verbose_name_plural = "patient information (each section optional; cite sources as [1])"

    def get_queryset(self, request):
        # Each row's title names the drug.
        return super().get_queryset(request).select_related("drug")
