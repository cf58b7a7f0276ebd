"""The printed form, independent of how it is rendered: the same on every copy (联) except
the copy's name. Every string is cleaned when the sheet is made, so no control character or
terminal escape from a ticket ever reaches a printer."""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..domain.text import clean_text


@dataclass(frozen=True)
class Sheet:
    heading: str                          # the site: 幸福家园物业服务中心
    title: str                            # 派工单
    number_label: str                     # 单号
    number: str                           # BX-20261122-0001, also printed as a QR code
    rows: tuple[tuple[str, str], ...]     # label, value; short values, printed two per line
    body_label: str                       # 报修内容
    body: str                             # the fault, several lines
    fill_in: tuple[str, ...] = ()         # blank boxes the technician fills in (维修情况)
    materials_label: str = ""             # 维修材料（名称、规格型号、数量、单价）(003 5.5)
    materials: tuple[str, ...] = ()       # the parts recorded so far; none: blank lines
    materials_note: str = ""              # 材料为业主(用户)提供 (003 5.4)
    evaluation: tuple[str, ...] = ()      # 业主评价, 满意, 基本满意, 不满意, 业主签名 (4.1(8))
    signatures: tuple[str, ...] = ()      # 接单人, 业主确认; each gets a name and a time line
    time_label: str = ""                  # 时间
    mark: str = ""                        # 补打（第1次）, printed large near the number
    footer: str = ""                      # printed at, job number

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "body":
                cleaned: object = clean_text(value, multiline=True)
            elif f.name == "rows":
                cleaned = tuple((clean_text(k), clean_text(v)) for k, v in value)
            elif isinstance(value, tuple):
                cleaned = tuple(clean_text(v) for v in value)
            else:
                cleaned = clean_text(value)
            object.__setattr__(self, f.name, cleaned)


def clean_copies(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Copy names as printed (from configuration, so cleaned like everything else)."""
    return tuple(clean_text(n) for n in names)
