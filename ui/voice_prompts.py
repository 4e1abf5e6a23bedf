"""Every fixed spoken prompt, keyed by the name screens use.

One table serves both voices: written Chinese reads aloud in 普通话 and in 粤语, so the audio
generator (``scripts/make_voice.py``) and the screens cannot drift apart. Each text is also
shown on screen, because audio must never be the only cue. This module imports nothing from Qt
so the generator can run without a display.
"""

from __future__ import annotations

from typing import Final

# Voice languages the resident can choose; the key is the folder under assets/voice.
LANGUAGES: Final[dict[str, str]] = {"zh": "普通话", "yue": "粤语"}
DEFAULT_LANGUAGE: Final = "zh"

PROMPTS: Final[dict[str, str]] = {
    "home": "欢迎使用党员时间银行，请点选您要办理的事情，或者刷身份证",
    "checkin": "请刷身份证或者扫描党员码签到",
    "checkin_ok": "签到成功",
    "checkout_ok": "签退成功",
    "already_in": "您已经签到过了",
    "not_registered": "没有找到您的登记信息，请找工作人员登记",
    "need_category": "请选择您需要的服务",
    "need_time": "请选择希望服务的时间",
    "need_confirm": "请确认您的求助信息",
    "need_done": "求助已提交，请取走小票",
    "coins": "这是您的时间币",
    "coins_spend": "请选择要兑换的服务",
    "coins_donate": "请选择捐赠对象",
    "suggestion": "请留下您的意见建议",
    "suggestion_done": "谢谢您的建议",
    "wishes": "这里是微心愿",
    "wish_claimed": "认领成功",
    "canteen": "请刷身份证用餐登记",
    "canteen_ok": "登记成功，祝您用餐愉快",
    "idle_warning": "您还在使用吗？如需继续，请点继续使用",
    "staff_pin": "请输入工作人员密码",
    "card_error": "读卡失败，请把身份证放平再试一次",
    "qr_error": "二维码无法识别，请再扫一次",
    "today_activities": "这是今天的活动",
    "error_generic": "出了点问题，请再试一次或找工作人员",
    "goodbye": "已回到首页",
}
