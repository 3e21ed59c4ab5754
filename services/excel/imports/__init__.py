"""The Excel import: reader, cell values, the plan, Items sheet, ministry trackers, apply."""
