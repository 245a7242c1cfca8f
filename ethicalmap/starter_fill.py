"""The rule both starter loaders (organisations, resources) keep on an existing database: fill
only what is empty and was never edited by a moderator, as history tells."""

FILLED_REASON = "Filled from the starter data"


def is_empty(value):
    return value in (None, "", [], False)


def moderator_edits(model, instances, fields):
    """{pk: the `fields` a moderator set} for the `instances` of `model` a moderator ever changed.

    A history row with a user is a moderator's change; the fields it set are those that differ
    from the row before. When there is no row before (the moderator created the entry, or the
    history starts there), every field counts as theirs.
    """
    attnames = {name: model._meta.get_field(name).attname for name in fields}
    edits, previous = {}, {}
    history = model.history.filter(id__in=[i.pk for i in instances]).order_by(
        "id", "history_date", "history_id"
    )
    for row in history.iterator():
        before = previous.get(row.id)
        previous[row.id] = row
        if row.history_user_id is None:
            continue
        changed = edits.setdefault(row.id, set())
        if before is None or row.history_type == "+":
            changed.update(fields)
        else:
            changed.update(
                name for name, attname in attnames.items()
                if getattr(row, attname) != getattr(before, attname)
            )  # fmt: skip
    return edits


def empty_to_fill(instance, values, fields, edited):
    """({name: value} of the `fields` that `instance` has empty and `values` has, leaving out
    those in `edited`; whether a moderator's edit kept one out)."""
    fill, kept = {}, False
    for name in fields:
        if is_empty(values[name]) or not is_empty(getattr(instance, name)):
            continue
        if name in edited:
            kept = True
            continue
        fill[name] = values[name]
    return fill, kept


def save_filled(instance, fill):
    """Set and save the `fill` fields of `instance`, validated, with the history's reason."""
    for name, value in fill.items():
        setattr(instance, name, value)
    instance._change_reason = FILLED_REASON
    instance.full_clean(
        exclude=[f.name for f in type(instance)._meta.concrete_fields if f.name not in fill],
        validate_constraints=False,
    )
    instance.save()
