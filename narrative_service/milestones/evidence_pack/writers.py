"""The two formats: A4 PDF through WeasyPrint (nothing fetched from anywhere) and Word
through python-docx, from the same sections in the same order."""

from __future__ import annotations

import io
import re

from flask import current_app

from .contents import EvidencePack
from .sections import outline


def file_name(pack: EvidencePack, file_format: str) -> str:
    """evidence-pack-reflecting-on-practice-safeguarding-2025-26-q1.pdf"""
    name = pack.programme
    if pack.financial_year not in name:
        name = f"{name} {pack.financial_year}"
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {pack.quarter}".lower()).strip("-")
    return f"evidence-pack-{slug}.{file_format}"


def _offline_fetcher():
    """A URL fetcher that fetches nothing: the pack is built from its own HTML and CSS, and
    nothing in it may make WeasyPrint reach the network (or the file system)."""
    from weasyprint import urls

    def refuse(url: str, *args, **kwargs):
        raise ValueError(f"The evidence pack fetches nothing ({url.split(':', 1)[0]}: refused)")

    if not hasattr(urls, "URLFetcher"):  # releases before 66 take a plain function
        return refuse

    class Offline(urls.URLFetcher):
        def fetch(self, url, headers=None):
            refuse(url)

    return Offline()


def to_html(pack: EvidencePack) -> str:
    template = current_app.jinja_env.get_template("milestones/evidence_pack.html")
    return template.render(pack=pack, sections=outline(pack))


def to_pdf(pack: EvidencePack) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(pack), url_fetcher=_offline_fetcher()).write_pdf()


def to_docx(pack: EvidencePack) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Mm(18))
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = pack.title
    _page_numbers(page.footer.paragraphs[0], pack)

    document.add_heading(pack.title, level=0)
    _docx_facts(document, [list(fact) for fact in pack.facts])
    for section in outline(pack):
        document.add_heading(section.title, level=1)
        for block in section.blocks:
            if block.kind == "subheading":
                document.add_heading(block.text, level=2)
            elif block.kind == "table":
                _docx_table(document, block.header, block.rows)
            elif block.kind == "facts":
                _docx_facts(document, block.rows)
            elif block.kind == "quote":
                document.add_paragraph(block.text, style="Quote")
            elif block.kind == "missing":
                document.add_paragraph().add_run(block.text).bold = True
            elif block.kind == "note":
                document.add_paragraph().add_run(block.text).italic = True
            else:
                document.add_paragraph(block.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, header: list[str], rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    heading_row = table.rows[0]
    # Repeated at the top of each page, and read as the header by screen readers.
    properties = heading_row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
    for cell, text in zip(heading_row.cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text or ""


def _docx_facts(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value or ""


def _page_numbers(paragraph, pack: EvidencePack) -> None:
    """'<programme>, <quarter> · Page N of M' in the footer, as Word fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run(f"{pack.programme}, {pack.quarter} · Page ")
    for index, instruction in enumerate(("PAGE", "NUMPAGES")):
        if index:
            paragraph.add_run(" of ")
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, instruction), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)


def render(pack: EvidencePack, file_format: str) -> bytes:
    """The pack as `file_format` ("pdf" or "docx")."""
    if file_format == "pdf":
        return to_pdf(pack)
    if file_format == "docx":
        return to_docx(pack)
    raise ValueError(f"Unknown evidence pack format {file_format!r}: pdf or docx")
