"""Domain logic, one package per feature; never imports streamlit (tests/unit/test_layers.py).

The map (packages import only those listed above them; tests/unit/test_layers.py checks):

    i18n/        languages: translate (gettext, Babel formats), catalogs, content per language
    errors.py, rules.py, labels.py, forms.py, permissions.py
                 shared: refusals; RAG and date rules; status, RAG and category labels and
                 colours; form errors as messages; who may do what
    audit/       the append-only audit trail, its labels in words, its Excel export
    store/       the store as a whole: backup, restore, table digests
    accounts/    passwords and sign-in, user administration, preferences
    seeding/     start-up, facts from the source document, sample data and histories, synthetic data
    organisations/  organisations: create, edit, merge two records, delete when unused
    documents/   source documents: file kinds and text extraction, storing texts and originals, the clause splitter
    items/       action items: progress update, input rules, batch writes, detail, list, bulk edit, live states
    agreements/  the agreements register, Set-up of agreements, areas and items, form choices, clauses into areas
    overview/    the Overview: filtered item states, KPI figures, charts
    meetings/    joint working group meetings: register, meeting mode, what changed, the pack
    lifecycle/   agreements over their life: the clock, renewal and closing, the package of a visit
    excel/       Excel: common columns, the upload guard; report/ (the status report), imports/ (the import)
    reminders/   the reporting clock: what is due for whom, digests, update requests, expiry notices by e-mail
"""
