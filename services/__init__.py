"""Domain logic, one package per feature; never imports streamlit (tests/unit/test_layers.py).

The map (packages import only those listed above them; tests/unit/test_layers.py checks):

    i18n/        languages: translate (gettext, Babel formats), catalogs, content per language
    errors.py, rules.py, labels.py, forms.py, permissions.py
                 shared: refusals; RAG and date rules; status, RAG and category labels and
                 colours; form errors as messages; who may do what
    audit/       the append-only audit trail, its labels in words, its Excel export
    accounts/    passwords and sign-in, user administration, preferences
    seeding/     start-up, facts from the source document, sample data and histories, synthetic data
    items/       action items: progress update, input rules, batch writes, detail, list, bulk edit, live states
    agreements/  the agreements register, Set-up of agreements, areas and items, form choices
    overview/    the Overview: filtered item states, KPI figures, charts
    meetings/    joint working group meetings: register, meeting mode, what changed, the pack
    lifecycle/   agreements over their life: the clock, renewal and closing, the package of a visit
    excel/       Excel: common columns, the upload guard; report/ (the status report), imports/ (the import)
"""
