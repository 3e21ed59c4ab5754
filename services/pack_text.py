"""The meeting pack's own headings in the three languages a pack can be made in. Titles of
agreements and areas come from their _ms/_zh columns; statuses and RAG keep the labels of
services/styles.py until the interface catalogs (issue 7) cover them."""
from __future__ import annotations

TEXT: dict[str, dict] = {
    "en": {
        "pack_title": "Meeting pack", "date": "Prepared {d}", "since": "Changes since {d}",
        "agreements": "{n} agreements", "items": "Action items", "complete": "Complete (weighted)",
        "level": "Completion", "overdue": "Overdue", "at_risk": "At risk", "stale": "Not updated 30 days",
        "item": "Action item", "lead": "Lead", "due": "Due", "status": "Status", "progress": "Progress",
        "expected": "Expected by today", "status_chart": "Action items by status",
        "area_chart": "Progress by commitment area", "no_red": "No Red or overdue items.",
        "changes": "What changed since the last meeting ({d})", "change": "Change", "agreement": "Agreement",
        "appendix": "Appendix – source clauses",
        "verbatim": "Verbatim from the source document (Bahasa Melayu): {src}",
        "sample": "SAMPLE DATA: items, history and meetings marked [Sample] are invented for demonstration.",
        "sample_long": "This pack contains SAMPLE DATA. Action items, progress and meetings marked [Sample] "
                       "are invented for demonstration and are not facts.",
        "kinds": {"turned_red": "Turned Red", "improved": "Improved", "completed": "Completed",
                  "no_update": "No update since"},
        "levels": {"not_started": "Not started", "limited": "Limited", "substantial": "Substantial",
                   "complete": "Complete"},
    },
    "ms": {
        "pack_title": "Pek mesyuarat", "date": "Disediakan {d}", "since": "Perubahan sejak {d}",
        "agreements": "{n} perjanjian", "items": "Tindakan", "complete": "Siap (berwajaran)",
        "level": "Tahap pelaksanaan", "overdue": "Lewat", "at_risk": "Berisiko", "stale": "Tiada kemas kini 30 hari",
        "item": "Tindakan", "lead": "Peneraju", "due": "Tarikh akhir", "status": "Status", "progress": "Kemajuan",
        "expected": "Dijangka setakat hari ini", "status_chart": "Tindakan mengikut status",
        "area_chart": "Kemajuan mengikut bidang komitmen", "no_red": "Tiada tindakan Merah atau lewat.",
        "changes": "Perubahan sejak mesyuarat lalu ({d})", "change": "Perubahan", "agreement": "Perjanjian",
        "appendix": "Lampiran – klausa sumber",
        "verbatim": "Petikan verbatim daripada dokumen sumber: {src}",
        "sample": "DATA CONTOH: tindakan, sejarah dan mesyuarat bertanda [Sample] adalah rekaan untuk demonstrasi.",
        "sample_long": "Pek ini mengandungi DATA CONTOH. Tindakan, kemajuan dan mesyuarat bertanda [Sample] "
                       "adalah rekaan untuk demonstrasi dan bukan fakta.",
        "kinds": {"turned_red": "Menjadi Merah", "improved": "Bertambah baik", "completed": "Selesai",
                  "no_update": "Tiada kemas kini sejak"},
        "levels": {"not_started": "Belum bermula", "limited": "Terhad", "substantial": "Ketara",
                   "complete": "Lengkap"},
    },
    "zh": {
        "pack_title": "会议资料", "date": "编制日期 {d}", "since": "自 {d} 以来的变化",
        "agreements": "{n} 项协议", "items": "行动项", "complete": "完成度（加权）",
        "level": "完成程度", "overdue": "逾期", "at_risk": "有风险", "stale": "30天未更新",
        "item": "行动项", "lead": "牵头单位", "due": "截止日期", "status": "状态", "progress": "进度",
        "expected": "截至今日的预期", "status_chart": "按状态划分的行动项",
        "area_chart": "按合作领域划分的进度", "no_red": "没有红色或逾期的行动项。",
        "changes": "自上次会议以来的变化（{d}）", "change": "变化", "agreement": "协议",
        "appendix": "附录 – 原文条款",
        "verbatim": "原文摘录（马来文）：{src}",
        "sample": "示例数据：标有 [Sample] 的行动项、历史和会议为演示而虚构。",
        "sample_long": "本资料包含示例数据。标有 [Sample] 的行动项、进度和会议为演示而虚构，并非事实。",
        "kinds": {"turned_red": "转为红色", "improved": "有进展", "completed": "已完成", "no_update": "此后无更新"},
        "levels": {"not_started": "未开始", "limited": "有限", "substantial": "显著", "complete": "完成"},
    },
}


def localised(obj, field: str, lang: str) -> str:  # noqa: ANN001
    """obj.<field>_<lang> when it is filled in, else the English."""
    return getattr(obj, f"{field}_{lang}", None) or getattr(obj, f"{field}_en")
