"""Realistic repair-call wording for generated history (extends services/demo.py FAULTS)."""

from __future__ import annotations

import random

from repairdesk.services.demo import CALLERS as DEMO_CALLERS
from repairdesk.services.demo import FAULTS as DEMO_FAULTS
from repairdesk.services.demo import PUBLIC_PLACES, RESULTS as DEMO_RESULTS

# (category, fault, urgent?)
FAULTS: list[tuple[str, str, bool]] = [(c, f, c in ("电梯", "燃气")) for c, f in DEMO_FAULTS] + [
    ("水", "洗手盆下水管漏水，柜子里都是水", False),
    ("水", "热水器出水不热，打火后熄火", False),
    ("水", "厨房水槽下水慢，有异味", False),
    ("水", "水表前阀门漏水，关不住总阀", True),
    ("水", "卫生间防水层渗漏，楼下天花板滴水", True),
    ("水", "淋浴花洒出水小，龙头松动", False),
    ("水", "暖气片跑水，地板被泡", True),
    ("水", "二次供水水压低，高层没水", True),
    ("水", "马桶堵塞，冲水漫出来", False),
    ("水", "屋顶漏水，下雨时墙角渗水", False),
    ("电", "空调插座跳闸，一开空调就断电", False),
    ("电", "厨房插座没电，冰箱不工作", False),
    ("电", "电表箱冒烟，有烧焦味", True),
    ("电", "卫生间浴霸不工作，开关失灵", False),
    ("电", "楼层公共照明全部不亮", False),
    ("电", "家里一半房间停电，漏电开关跳闸", False),
    ("门窗", "防盗门关不上，门框变形", False),
    ("门窗", "窗户玻璃破裂，有掉落危险", True),
    ("门窗", "单元门闭门器漏油，门关得很重", False),
    ("门窗", "纱窗脱落，窗扇把手断了", False),
    ("电梯", "电梯运行时异响，有抖动", True),
    ("电梯", "电梯按钮失灵，按了不亮", False),
    ("电梯", "电梯停在两层之间，有人被困", True),
    ("燃气", "燃气灶打不着火，点火针不打火", False),
    ("燃气", "燃气表不走字，怀疑表坏", False),
    ("土建", "天花板石膏板开裂下垂", False),
    ("土建", "阳台地面积水，排水口堵", False),
    ("土建", "楼梯扶手松动，老人上下楼不安全", False),
    ("综合", "小区路灯不亮，晚上很黑", False),
    ("综合", "地下车库道闸抬不起来", False),
    ("综合", "楼道消防栓箱门坏了", False),
    ("综合", "垃圾房下水道堵塞，污水外溢", False),
    ("综合", "监控摄像头不显示画面", False),
]
WHERE = ["", "", "", "主卧", "次卧", "客厅", "厨房", "卫生间", "阳台", "书房", "儿童房"]
DETAIL = ["", "", "", "，业主很着急", "，请尽快处理", "，业主下午在家", "，已经第二次报修了",
          "，家里有老人小孩", "，业主要求上门前电话联系", "，物业前台转来", "，晚上八点后方便",
          "，业主说昨天就开始了", "，情况比较严重"]
CALLERS = DEMO_CALLERS + ["钱先生", "冯女士", "郭阿姨", "何先生", "高女士", "林先生", "罗女士",
                          "梁先生", "宋阿姨", "谢先生", "韩女士", "唐先生", "许女士", "邓先生",
                          "曹阿姨", "彭先生", "曾女士", "萧先生", "田女士", "董大爷"]
CLERKS = ["李静", "陈晓雯", "赵强", "孙丽", "周敏"]
TECHS = ["张建国", "王师傅", "刘卫东", "孙海", "黄志强", "吴涛", "郑伟", "马国栋"]
PLACES = PUBLIC_PLACES + ["2栋1单元大堂", "7栋地下室", "北门岗亭", "会所门口", "6栋楼顶",
                          "西区消防通道", "3号楼电梯机房", "游泳池边"]
RESULTS = DEMO_RESULTS + ["更换灯管，照明恢复", "更换水管接头，试压无渗漏", "更换空开，恢复供电",
                          "电梯维保单位到场处理，运行正常", "燃气公司到场检测，无泄漏",
                          "更换闭门器，开关顺畅", "清理排水沟，排水通畅"]
VOID_REASONS = ["业主来电取消，已自行处理", "重复报修，已合并", "误报，现场无故障",
                "非物业维修范围，已告知业主"]
PAUSE_REASONS = ["等待配件：阀芯型号需订货", "业主不在家，约下次上门", "需要厂家技术支持"]
NOTES = ["巡查发现南门道闸反应慢，已通知维保", "夜间巡逻一切正常", "停水通知已张贴各单元",
         "收到业主投诉噪音，已登记转客服", "交接班时对讲机电量不足，已充电"]


def fault(rng: random.Random) -> tuple[str, str, bool]:
    """A category, a call's wording and whether it is urgent."""
    category, text, urgent = rng.choice(FAULTS)
    where = rng.choice(WHERE)
    if where and where not in text[:4]:
        text = where + text
    return category, text + rng.choice(DETAIL), urgent
