from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from principles.models import (
    Assessment,
    Endorsement,
    LevelDescriptor,
    MaturityLevel,
    Practice,
    Principle,
)


class PracticeInline(admin.TabularInline):
    model = Practice
    extra = 1


class LevelDescriptorInline(admin.TabularInline):
    model = LevelDescriptor
    extra = 0
    max_num = 5


@admin.register(Principle)
class PrincipleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "order", "status", "updated"]
    list_filter = ["status", "mitigates"]
    search_fields = ["title", "summary", "body"]
    autocomplete_fields = ["mitigates"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PracticeInline, LevelDescriptorInline]


@admin.register(MaturityLevel)
class MaturityLevelAdmin(admin.ModelAdmin):
    list_display = ["level", "name"]
    search_fields = ["name", "description"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["text", "principle", "order"]
    list_filter = ["principle"]
    list_select_related = ["principle"]
    search_fields = ["text"]
    autocomplete_fields = ["principle"]


@admin.register(LevelDescriptor)
class LevelDescriptorAdmin(admin.ModelAdmin):
    list_display = ["principle", "level", "description"]
    list_filter = ["level", "principle"]
    list_select_related = ["principle"]
    search_fields = ["description", "principle__title"]
    autocomplete_fields = ["principle"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "principle", "level", "status", "assessed_on"]
    list_filter = ["status", "level", "principle"]
    list_select_related = ["organisation", "principle"]
    search_fields = ["organisation__name", "principle__title", "evidence"]
    autocomplete_fields = ["organisation", "principle"]
    date_hierarchy = "assessed_on"


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["organisation", "principle", "status", "created"]
    list_filter = ["status", "principle"]
    list_select_related = ["organisation", "principle"]
    search_fields = ["organisation__name", "principle__title", "statement"]
    autocomplete_fields = ["organisation", "principle"]
