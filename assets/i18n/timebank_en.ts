<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
  <context>
    <name>kiosk</name>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source> · ✓ 正在补签这个活动</source>
      <translation> · ✓ Late check-in for this activity</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source> · 服务 {n} 分钟</source>
      <translation> · served {n} min</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source> · 认领党员：{who}</source>
      <translation> · claimed by {who}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source> · 认领：{who}</source>
      <translation> · taken by {who}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source> 个</source>
      <translation> coins</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source> 人次</source>
      <translation> times</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>0 表示不限</source>
      <translation>0 = no limit</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>1 个时间币 = 服务 1 小时</source>
      <translation>1 time coin = 1 hour</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>{c} 个</source>
      <translation>{c} coins</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>{m}月{d}日</source>
      <translation>{m}/{d}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>{m}月{d}日
星期{w}</source>
      <translation>{m}/{d}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>{m}月{d}日 {t}</source>
      <translation>{m}/{d} {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>{m}月{d}日 星期{w}</source>
      <translation>{m}/{d}</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>{m}月{d}日 星期{w} {hm}</source>
      <translation>{m}/{d} {hm}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>{name} 没有登记为困难群众，不能直接捐给 Ta。可以捐到公益池。</source>
      <translation>{name} is not registered as a resident in need, so you can't donate to them directly. You can donate to the welfare pool.</translation>
    </message>
    <message>
      <location filename="ui/screens/person.py" />
      <source>{name}，您好</source>
      <translation>Hello, {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>{name}，您现有：</source>
      <translation>{name}, you have:</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>{n} 个</source>
      <translation>{n} coins</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>{n} 个时间币</source>
      <translation>{n} time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>{n} 人忘记签退，已按活动结束时间签退，请到「待审核」确认时长。</source>
      <translation>{n} people forgot to check out and were checked out at the end time. Confirm their time under “To review”.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>{n} 人次</source>
      <translation>{n} times</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>{n} 分钟</source>
      <translation>{n} min</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>{n} 天</source>
      <translation>{n} days</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>{n} 小时</source>
      <translation>{n} hours</translation>
    </message>
    <message>
      <location filename="ui/screen.py" />
      <source>{n} 秒后回到首页</source>
      <translation>Home in {n} seconds</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>{p}/{n}页</source>
      <translation>{p}/{n}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>{sex} · {y}年{m}月{d}日出生</source>
      <translation>{sex} · born {y}-{m}-{d}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>{s} · {y}年统计</source>
      <translation>{s} · {y} statistics</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>{t} · 居民 {who}</source>
      <translation>{t} · resident {who}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>{what} · 居民 {who}</source>
      <translation>{what} · resident {who}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>{when} · 给{target} · {author}</source>
      <translation>{when} · to {target} · {author}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>{who} · {what} · {day}</source>
      <translation>{who} · {what} · {day}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>{who} 已认领：{what}</source>
      <translation>{who} has taken: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>{y}年{m}月{d}日 {t}</source>
      <translation>{y}/{m}/{d} {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>{y}年各党组织服务次数与年度任务</source>
      <translation>{y}: services by Party organisation vs yearly target</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>{y}年各党组织服务次数：还没有党组织</source>
      <translation>{y}: no Party organisations yet</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>{y}年服务需求（按类别，件）</source>
      <translation>{y}: help requests by type</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>{y}年每月发放时间币（个）</source>
      <translation>{y}: time coins given per month</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>■ 已结束</source>
      <translation>■ Ended</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>◀ 上一页</source>
      <translation>◀ Previous</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>○ 报名中，还没开始</source>
      <translation>○ Sign-up open, not started</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>○ 正在等人认领</source>
      <translation>○ Waiting to be claimed</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>● 已回复（{w}）：{r}</source>
      <translation>● Replied ({w}): {r}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>● 已导出：{f}</source>
      <translation>● Exported: {f}</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>● 已有党员认领</source>
      <translation>● Claimed by a Party member</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>● 已联系心愿人，正在圆梦</source>
      <translation>● In contact, wish under way</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>● 正常，全部记录已上传</source>
      <translation>● OK, all records uploaded</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>● 正常，有记录等待上传</source>
      <translation>● OK, records waiting to upload</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>● 没有需要处理的记录。</source>
      <translation>● No records to handle.</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>● 签到中</source>
      <translation>● Check-in open</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>● 还没有回复</source>
      <translation>● No reply yet</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>★ 已圆梦 · 谢谢您</source>
      <translation>★ Wish came true · thank you</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>⚠ 上次出错：{e}</source>
      <translation>⚠ Last error: {e}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>⚠ 导出失败：{e}</source>
      <translation>⚠ Export failed: {e}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>⚠ 已经 {d}没有同步成功，请检查网络，或联系管理员。</source>
      <translation>⚠ No successful sync for {d}. Check the network or contact the admin.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>⚠ 已经很久没有同步成功，请检查网络，或联系管理员。</source>
      <translation>⚠ No successful sync for a long time. Check the network or contact the admin.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>⚠ 最近一次同步没有成功</source>
      <translation>⚠ The last sync failed</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>⚠ 服务器不接受本机，同步已暂停</source>
      <translation>⚠ The server refuses this kiosk; sync paused</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>⚠ 设备管理没有启动</source>
      <translation>⚠ Device manager not running</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>「{t}」已开始签到。</source>
      <translation>Check-in is open for “{t}”.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>「{t}」已结束签到。</source>
      <translation>Check-in closed for “{t}”.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>一直没有人认领，已经关闭。请找工作人员帮忙。</source>
      <translation>No one took it, so it was closed. Please ask staff for help.</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>上一页</source>
      <translation>Previous</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>上午</source>
      <translation>Morning</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>上午下午都可以</source>
      <translation>Morning or afternoon</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>上午还是下午？</source>
      <translation>Morning or afternoon?</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>上午（已过）</source>
      <translation>Morning (over)</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>上月 {n} 人次，</source>
      <translation>Last month {n}, </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>上次同步成功：{w}（{d}前）</source>
      <translation>Last sync: {w} ({d} ago)</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>上次同步成功：还没有成功同步过</source>
      <translation>Last sync: never</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>上门帮助居民（{t}），获得 {n} 个时间币</source>
      <translation>Helped a resident at home ({t}), earned {n} time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>上门理发</source>
      <translation>Haircut at home</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>下一位</source>
      <translation>Next person</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>下一步</source>
      <translation>Next</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>下一步：请在 {d} 前联系心愿人。</source>
      <translation>Next: contact the person by {d}.</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>下一步：请在 {d} 前（{n} 天内）联系心愿人，约好怎样帮 Ta 圆梦。</source>
      <translation>Next: contact the person by {d} (within {n} days) and agree how to make the wish come true.</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>下一步：请在 {n} 天内联系心愿人，约好怎样帮 Ta 圆梦。</source>
      <translation>Next: contact the person within {n} days and agree how to make the wish come true.</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>下一页</source>
      <translation>Next</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>下一页 ▶</source>
      <translation>Next ▶</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>下午</source>
      <translation>Afternoon</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>不到 1 分钟</source>
      <translation>under 1 minute</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>不用登记，谁都可以留言</source>
      <translation>Anyone can leave one, no ID needed</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>不留电话</source>
      <translation>No phone number</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>不知道怎样联系，请找工作人员。</source>
      <translation>Not sure how? Please ask staff.</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>不知道怎样联系？请找社区工作人员。联系以后，也请告诉工作人员。</source>
      <translation>Not sure how to contact them? Ask community staff. Once in contact, please tell staff too.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>不知道选哪个？
请点“其他”，或者问问工作人员。</source>
      <translation>Not sure which?
Tap “Other” or ask staff.</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>不认领了</source>
      <translation>Not now</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>不通过</source>
      <translation>Reject</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>不通过时请写一句原因，方便告诉居民。</source>
      <translation>To reject, write a short reason to pass on to the resident.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>不限人数</source>
      <translation>No limit</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>与上月持平</source>
      <translation>same as last month</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>为居民登记需求</source>
      <translation>Record a request for a resident</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>义诊</source>
      <translation>Free clinic</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>买菜、买日用品</source>
      <translation>Food, daily items</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>二维码</source>
      <translation>QR code</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>二维码扫描器</source>
      <translation>QR scanner</translation>
    </message>
    <message>
      <location filename="ui/window.py" />
      <source>二维码无法识别，请再扫一次。</source>
      <translation>Can't read the QR code. Please scan again.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>人数上限</source>
      <translation>Max. people</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>人数上限和时间币标准请填数字。</source>
      <translation>Max. people and coin rate must be numbers.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>什么时候</source>
      <translation>When</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>今天</source>
      <translation>Today</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>今天 {t}</source>
      <translation>Today {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>今天 {t} 已登记，不用再刷卡。</source>
      <translation>Checked in today at {t}. No need to tap again.</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>今天没有活动。可以看看明天的安排，或者问问工作人员。</source>
      <translation>No activities today. See tomorrow's plan, or ask staff.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>今天（{d}）</source>
      <translation>Today ({d})</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>今日活动</source>
      <translation>Today's activities</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>从</source>
      <translation>from</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>代购</source>
      <translation>Shopping</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>例如：清洁家园志愿服务</source>
      <translation>e.g. Neighbourhood clean-up</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>例如：行动不便，需要上门</source>
      <translation>e.g. Frail, home visit</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>例如：金洲社区党群服务站</source>
      <translation>e.g. Jinzhou community service station</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>健康检查</source>
      <translation>Check-up</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>兑换 {t}，用去 {n} 个时间币</source>
      <translation>Used {n} time coins for {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>兑换后还剩：{c}</source>
      <translation>Balance after: {c}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>兑换成功</source>
      <translation>Coins used</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>兑换服务</source>
      <translation>Use coins</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>兑换：{what}</source>
      <translation>Service: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>党员</source>
      <translation>Party member</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>党员时间银行</source>
      <translation>Party Member Time Bank</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>党员码</source>
      <translation>Party member code</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>党员需要选择所在党组织。</source>
      <translation>A Party member needs a Party organisation.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>全部</source>
      <translation>All</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>全部清空</source>
      <translation>Clear all</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>公益池</source>
      <translation>Welfare pool</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>公益池
帮助有困难的居民</source>
      <translation>Welfare pool
helps residents in need</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>公益池发给您 {n} 个时间币</source>
      <translation>Got {n} time coins from the welfare pool</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>共 {m} 分钟，已计入 {c} 分钟，待确认 {p} 分钟。</source>
      <translation>{m} min in total: {c} min credited, {p} min to confirm.</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>关于：{t}</source>
      <translation>About: {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>其他</source>
      <translation>Other</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>其他二维码</source>
      <translation>Other QR code</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>再想想</source>
      <translation>Not now</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>分钟</source>
      <translation>Minutes</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>分钟/小时</source>
      <translation>min/hour</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>刚刚登记：</source>
      <translation>Just registered: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>创建活动</source>
      <translation>Create activity</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>删掉最后一句</source>
      <translation>Remove last</translation>
    </message>
    <message>
      <location filename="ui/keypad.py" />
      <source>删除</source>
      <translation>Delete</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>别的事情</source>
      <translation>Anything else</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>到</source>
      <translation>to</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>刷新</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>刷身份证后，这里显示登记情况。</source>
      <translation>Tap an ID card to see its registration here.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>区委组织部</source>
      <translation>District Org. Dept.</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>去签到</source>
      <translation>Check in</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>去签到：</source>
      <translation>Check in: </translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>参加 {t}（工作人员确认），获得 {n} 个时间币</source>
      <translation>Joined {t} (confirmed by staff), earned {n} time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>参加 {t}，获得 {n} 个时间币</source>
      <translation>Joined {t}, earned {n} time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>取消原因</source>
      <translation>Reason for cancelling</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>取消困难群众</source>
      <translation>Remove “in need”</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>取消需求：{what}</source>
      <translation>Cancel request: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>受助人：{name}</source>
      <translation>Recipient: {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>只填数字，可以不填</source>
      <translation>Digits only, optional</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>只有党员可以认领微心愿。</source>
      <translation>Only Party members can claim micro-wishes.</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>只给工作人员看</source>
      <translation>Only staff will see it</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>号码只给工作人员看，不会公开。</source>
      <translation>Only staff will see your number. It is never made public.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>合 {m} 分钟；上月 {c} 个，</source>
      <translation>= {m} min; last month {c}, </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>同步</source>
      <translation>Sync</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>同步失败：{e}</source>
      <translation>Sync failed: {e}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>同步完成：上传 {p} 条，下载 {q} 条。</source>
      <translation>Sync done: {p} uploaded, {q} downloaded.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>同步没有完成。</source>
      <translation>Sync did not finish.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>同步没有完成，稍后会自动重试。</source>
      <translation>Sync did not finish; will retry soon.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>同步状态</source>
      <translation>Sync status</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>哪一天</source>
      <translation>Day</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>哪一天？</source>
      <translation>Which day?</translation>
    </message>
    <message>
      <location filename="ui/screen.py" />
      <source>回到首页</source>
      <translation>Home</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>回复由镇街或区委组织部在后台填写，同步后显示在这里。查看联系电话会记录在操作日志里。</source>
      <translation>Replies are written by the town/subdistrict or the District Org. Dept. and show here after syncing. Viewing a phone number is recorded in the log.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>困难居民</source>
      <translation>Resident in need</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>困难居民
请刷受助人的身份证</source>
      <translation>Resident in need
tap their ID card</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>困难居民（请刷卡）</source>
      <translation>Person in need</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>困难居民：{name}</source>
      <translation>Resident in need: {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>困难群众</source>
      <translation>In need</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>困难群众（可以接受时间币捐赠）</source>
      <translation>In need (can receive donated coins)</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>圆梦：{w}</source>
      <translation>Came true: {w}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>地点</source>
      <translation>Place</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>地点：{p}</source>
      <translation>Place: {p}</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>垃圾需要及时清理</source>
      <translation>Rubbish needs clearing sooner</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>多一个</source>
      <translation>One more</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>大字</source>
      <translation>Large text</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>大字：{n}倍</source>
      <translation>Large text: {n}x</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>大字：标准</source>
      <translation>Large text: off</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>好的，已为您重新签到，服务时间接着算。</source>
      <translation>OK, you are checked in again. Your time keeps counting.</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>如果要离开，请点“我要签退”再刷一次。</source>
      <translation>To leave, tap “Check out” and tap your card again.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>姓名：{name}</source>
      <translation>Name: {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>完成</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>完成 {n}/{q}</source>
      <translation>Done {n}/{q}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>完成服务</source>
      <translation>Finish service</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>完成服务：{what}</source>
      <translation>Finish service: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>完整号码 {n} 秒后自动隐藏。</source>
      <translation>The full number hides again in {n} seconds.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>实际服务时长（分钟）：</source>
      <translation>Time actually served (min):</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>审核意见（不通过时必须填写）</source>
      <translation>Review note (required if rejected)</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>导出 CSV</source>
      <translation>Export CSV</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>导出 Excel</source>
      <translation>Export Excel</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>导出到：</source>
      <translation>Export to:</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>导出文件夹</source>
      <translation>Export folder</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>小票已打印，请从出纸口取走。</source>
      <translation>Receipt printed. Please take it from the slot.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>小票打印机</source>
      <translation>Receipt printer</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>少一个</source>
      <translation>One less</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>就绪</source>
      <translation>Ready</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>居民不需要了</source>
      <translation>No longer needed</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>居民有困难，可以点“我要求助”。</source>
      <translation> Residents who need help can tap “Ask for help”.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>居民的话（可以不填）</source>
      <translation>Resident's comment (optional)</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>工作人员会和您约时间。</source>
      <translation>Staff will call you to set a time.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>工作人员会和您约时间，为您安排这项服务。有问题请找工作人员。</source>
      <translation>Staff will contact you to arrange this service. Questions? Please ask staff.</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>工作人员会认真看您的留言。</source>
      <translation>Staff will read your message carefully.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_console.py" />
      <source>工作人员后台</source>
      <translation>Staff console</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_login.py" />
      <source>工作人员登录</source>
      <translation>Staff sign-in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>工作人员补签</source>
      <translation>Check-in by staff</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已为 {who} 登记需求，求助号 {ticket}。</source>
      <translation>Request recorded for {who}, request no. {ticket}.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>已创建活动：{t}。到时间后请点「开始签到」。</source>
      <translation>Activity created: {t}. When it starts, tap “Open check-in”.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>已发布到心愿墙：</source>
      <translation>Published on the wish wall: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>已发布，等待党员认领</source>
      <translation>Published, waiting for a Party member</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>已取消</source>
      <translation>Cancelled</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>已取消困难群众：</source>
      <translation>No longer marked in need: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已取消：{what}</source>
      <translation>Cancelled: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>已回复</source>
      <translation>Replied</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>已圆梦</source>
      <translation>Came true</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>已完成</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已完成服务 {n} 分钟，请确认：{what}</source>
      <translation>Service done ({n} min), please confirm: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>已完成（次）</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已开始服务：{what}</source>
      <translation>Service started: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>已提交</source>
      <translation>Sent</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>已撤销这次签到，不计服务时间。</source>
      <translation>Check-in undone. No service time counted.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>已有人认领</source>
      <translation>Taken by a volunteer</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>已标记为已处理。</source>
      <translation>Marked as handled.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>已登记：{who}</source>
      <translation>Registered: {who}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>已确认 {who} 计入 {m} 分钟。</source>
      <translation>Confirmed: {m} min credited to {who}.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已确认完成，时间币已发放：{what}</source>
      <translation>Confirmed done, time coins paid: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>已确认身份，请点确认提交</source>
      <translation>ID confirmed. Please tap “Submit”</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已确认，等待居民评价</source>
      <translation>Confirmed, waiting for rating</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>已经在同步了，请稍候再看结果。</source>
      <translation>Already syncing. Please check the result shortly.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>已结束</source>
      <translation>Ended</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>已联系 · 正在帮 Ta 圆梦</source>
      <translation>Contacted · wish under way</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>已联系，正在圆梦</source>
      <translation>Contacted, wish under way</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>已联系：{w}</source>
      <translation>Contacted: {w}</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>已认领 · 请在{d}前联系心愿人</source>
      <translation>Claimed · contact them by {d}</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>已认领 · 请尽快联系心愿人</source>
      <translation>Claimed · contact them soon</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已认领，等待开始服务</source>
      <translation>Taken, waiting to start</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>已认领，等待联系</source>
      <translation>Claimed, not yet contacted</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>已设为困难群众：</source>
      <translation>Marked as in need: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>已设为重新发送，下次同步时会再发一次。</source>
      <translation>Set to resend. It will be sent again at the next sync.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已评价</source>
      <translation>Rated</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已评价 {n} 星：{what}</source>
      <translation>Rated {n} stars: {what}</translation>
    </message>
    <message>
      <location filename="ui/keypad.py" />
      <source>已输入</source>
      <translation>Entered</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>已过期</source>
      <translation>Expired</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>已退回，重新等待认领：{what}</source>
      <translation>Released, waiting to be taken again: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>已退回：</source>
      <translation>Returned: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>已选：</source>
      <translation>Chosen: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>希望 {day} {part} · 求助号 {ticket}</source>
      <translation>Wanted: {day} {part} · request no. {ticket}</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望上门服务多一些</source>
      <translation>More home visits, please</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望兑换更方便</source>
      <translation>Make using coins easier</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望兑换的服务多一些</source>
      <translation>More services for coins, please</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望可以送餐上门</source>
      <translation>Please deliver meals to my home</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望多一些适合老人的活动</source>
      <translation>More activities for seniors, please</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望多组织一些活动</source>
      <translation>Please hold more activities</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望多装扶手和座椅</source>
      <translation>More handrails and seats, please</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望开饭时间早一些</source>
      <translation>Earlier mealtimes, please</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望时间币能给家人用</source>
      <translation>Let my family use my time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望有人帮我操作机器</source>
      <translation>I'd like help using this machine</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望有人教我用手机</source>
      <translation>Please teach me to use my phone</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望服务更准时</source>
      <translation>Please be more on time</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望机器上的字再大一些</source>
      <translation>Bigger text on this machine, please</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望活动安排在上午</source>
      <translation>Please hold activities in the morning</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望活动安排在下午</source>
      <translation>Please hold activities in the afternoon</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望活动离家近一些</source>
      <translation>Please hold activities closer to home</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望饭菜清淡一些</source>
      <translation>Lighter food, please</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>希望饭菜软一些</source>
      <translation>Softer food, please</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>平时自动同步：有新记录后很快上传，空闲时每隔几分钟一次。</source>
      <translation>Syncs by itself: new records upload soon after they are made, and every few minutes when idle.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>年-月-日</source>
      <translation>YYYY-MM-DD</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>年度任务（次）</source>
      <translation>Yearly target</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>开始服务</source>
      <translation>Start service</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>开始签到</source>
      <translation>Open check-in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_console.py" />
      <source>当前工作人员：{name}</source>
      <translation>Signed in: {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>待审核</source>
      <translation>To review</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>待审核（{n}）</source>
      <translation>To review ({n})</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>微心愿</source>
      <translation>Wishes</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>心愿人：{name}</source>
      <translation>Wish from: {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>心愿墙</source>
      <translation>Wish wall</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>心愿：{t}</source>
      <translation>Wish: {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>志愿服务</source>
      <translation>Volunteering</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>志愿者</source>
      <translation>Volunteer</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>志愿者会打电话和您约好时间。</source>
      <translation>The volunteer will call you to set a time.</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>志愿者服务很好，谢谢</source>
      <translation>The volunteers are great, thank you</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>志愿者正在为您服务。</source>
      <translation>A volunteer is helping you now.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>忘记签退：活动结束时由自助机自动签退，时长需要确认。</source>
      <translation>Forgot to check out: the kiosk checked them out when the activity ended. Please confirm the time.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>性别 / 出生</source>
      <translation>Sex / born</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>您今天已经登记过了</source>
      <translation>You are already checked in today</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>您今天已经登记过了，不用再刷卡，祝您用餐愉快</source>
      <translation>You are already checked in today. No need to tap again. Enjoy your meal</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>您好，{name}</source>
      <translation>Hello, {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>您现有 {n} 个时间币。请点选要兑换的服务：</source>
      <translation>You have {n} time coins. Tap a service to get:</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>您现有 {n} 个时间币，不到 1 个，暂时不能捐赠。</source>
      <translation>You have {n} time coins. You need at least 1 to donate.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>您现有 {n} 个时间币，最多可以捐 {m} 个。</source>
      <translation>You have {n} time coins and can donate up to {m}.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>您的时间币不够。</source>
      <translation>You don't have enough time coins.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>您的时间币不够兑换“{name}”，还差 {n} 个。可以先参加志愿服务获得时间币。</source>
      <translation>Not enough time coins for “{name}”: {n} more needed. Volunteer to earn more.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>您的求助{s}</source>
      <translation>Your request: {s}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>您的求助号码：</source>
      <translation>Your request number:</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>您的留言</source>
      <translation>Your message</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>您的留言：</source>
      <translation>Your message:</translation>
    </message>
    <message>
      <location filename="ui/window.py" />
      <source>您还在使用吗？</source>
      <translation>Are you still there?</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>您还没有认领心愿。可以在“心愿墙”里选一个。</source>
      <translation>You have not claimed a wish yet. Pick one on the “Wish wall”.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>您选了：{c}</source>
      <translation>You chose: {c}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>您需要哪种帮助？请点一下：</source>
      <translation>What help do you need? Tap one:</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>想查进度，把小票上的二维码对准扫码口。</source>
      <translation>To check progress, scan the QR code on the receipt.</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>想说哪方面的事？请点一下：</source>
      <translation>What is it about? Tap one:</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>我来认领</source>
      <translation>Claim it</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>我的时间币</source>
      <translation>My time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>我的时间币记录有疑问</source>
      <translation>I have a question about my time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>我要求助</source>
      <translation>Ask for help</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>我要签到</source>
      <translation>Check in</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>我要签退</source>
      <translation>Check out</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>我认领的</source>
      <translation>My wishes</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>或指派给党组织：</source>
      <translation>Or assign a Party organisation:</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>或者把党员码对准扫码口</source>
      <translation>Or hold your Party member code to the scanner</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>所在党组织</source>
      <translation>Party organisation</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>所在社区</source>
      <translation>Community</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>手动同步</source>
      <translation>Manual sync</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>手机号</source>
      <translation>Mobile</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>打印失败：{e}</source>
      <translation>Print failed: {e}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>打印机暂时不能用，请记下您的号码</source>
      <translation>The printer is not working. Please write down your number</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>打印机暂时不能用，请记下您的号码。</source>
      <translation>The printer is not working. Please write down your number.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>扫码成功：{k}，共 {n} 个字符，开头是“{h}”</source>
      <translation>Scanned: {k}, {n} characters, starts with “{h}”</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>指派认领</source>
      <translation>Assign</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>指派认领：{what}</source>
      <translation>Assign: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐到公益池，由社区统一帮助有困难的居民。</source>
      <translation>The community uses the welfare pool to help residents in need.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐多少？</source>
      <translation>How many?</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐给 {who}，捐出 {n} 个时间币</source>
      <translation>Donated {n} time coins to {who}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐给公益池，捐出 {n} 个时间币</source>
      <translation>Donated {n} time coins to the welfare pool</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐给谁？</source>
      <translation>Donate to whom?</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐给：{to}</source>
      <translation>To: {to}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐给：{what}</source>
      <translation>To: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐赠</source>
      <translation>Donate</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐赠后还剩：{c}</source>
      <translation>Balance after: {c}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐赠成功</source>
      <translation>Donation made</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐赠数量</source>
      <translation>Amount to donate</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>捐赠时间币</source>
      <translation>Donate time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>探访</source>
      <translation>Home visits</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>接下来：</source>
      <translation>What happens next:</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>提交留言</source>
      <translation>Send</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>提交：{t}</source>
      <translation>Sent: {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>提交：{w}</source>
      <translation>Sent: {w}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>收到爱心捐赠 {n} 个时间币</source>
      <translation>Received a donation of {n} time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>收到转赠 {n} 个时间币</source>
      <translation>Received a transfer of {n} time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>改电话</source>
      <translation>Change phone</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>放弃</source>
      <translation>Discard</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>政策宣讲</source>
      <translation>Policy talks</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>故障</source>
      <translation>Fault</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>数量：{c}</source>
      <translation>Amount: {c}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>文体活动</source>
      <translation>Culture and sports</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>新建活动</source>
      <translation>New activity</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>新来访者登记</source>
      <translation>Enrol a new visitor</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>无法写入这个文件夹，请检查路径或 U 盘是否插好。</source>
      <translation>Can't write to this folder. Check the path, or that the USB drive is plugged in.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>日期不正确，请按 2026-03-02 这样填写。</source>
      <translation>Wrong date. Please write it like 2026-03-02.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>时间不正确，请按 09:00 这样填写。</source>
      <translation>Wrong time. Please write it like 09:00.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>时间币</source>
      <translation>Time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>时间币余额</source>
      <translation>Time coin balance</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>时间币标准</source>
      <translation>Coin rate</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>时间：{hm}</source>
      <translation>Time: {hm}</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>时间：{h}</source>
      <translation>Time: {h}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>时间：{t}</source>
      <translation>Time: {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>明天</source>
      <translation>Tomorrow</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>明天（{d}）</source>
      <translation>Tomorrow ({d})</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>昨天 {t}</source>
      <translation>Yesterday {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>显示完整号码</source>
      <translation>Show full number</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>普通话</source>
      <translation>Mandarin</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>暂时查不到进度，请找工作人员。</source>
      <translation>Can't find the progress right now. Please ask staff.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>暂时没有同步结果，同步会在后台继续，请稍后再看。</source>
      <translation>No result yet. Sync goes on in the background; check again later.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>更新于 {t}</source>
      <translation>Updated {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>更正一笔记录，加回 {n} 个时间币</source>
      <translation>Correction: {n} time coins added back</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>更正一笔记录，扣回 {n} 个时间币</source>
      <translation>Correction: {n} time coins taken back</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>最多可以捐 {m} 个</source>
      <translation>You can donate up to {m}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>最近没有活动。请点上面的「新建活动」。</source>
      <translation>No recent activities. Tap “New activity” above.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>最近记录</source>
      <translation>Recent records</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>月份</source>
      <translation>Month</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>有人认领后，会打电话和您约时间。</source>
      <translation>A volunteer will call you to set a time.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>服务中</source>
      <translation>In progress</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>服务做完了，工作人员确认后就结束。</source>
      <translation>The service is done. It closes once staff confirm it.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>服务器刚从备份恢复，下次同步会把记录重新上传。</source>
      <translation>The server was restored from a backup; records will upload again at the next sync.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>服务器拒绝了这次同步，稍后会自动重试；一直如此请联系管理员。</source>
      <translation>The server refused this sync; will retry soon. If it keeps happening, contact the admin.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>服务器没有接受的记录</source>
      <translation>Records the server did not accept</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>服务器没有接受的记录（{n} 条）</source>
      <translation>Records the server did not accept ({n})</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>服务已完成，等待确认</source>
      <translation>Service done, to confirm</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>服务已经完成，您也评价过了，谢谢您。</source>
      <translation>The service is complete and you have rated it. Thank you.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>服务已经完成，谢谢您。</source>
      <translation>The service is complete. Thank you.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>服务类型</source>
      <translation>Service type</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>未刷身份证</source>
      <translation>No ID card tapped</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>未启动</source>
      <translation>Not started</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>未回复</source>
      <translation>Not replied</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>未完成</source>
      <translation>Not done</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>未开始签到</source>
      <translation>Check-in not open</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>未登记的来访者</source>
      <translation>Unregistered visitor</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>未登记身份证</source>
      <translation>No ID card on file</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>未连接</source>
      <translation>Not connected</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>本月党员服务人次</source>
      <translation>Party member services this month</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>本月发放时间币</source>
      <translation>Time coins given this month</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>本月服务居民人次</source>
      <translation>Residents served this month</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>本机</source>
      <translation>This kiosk</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>本机尚未注册到服务器，不能同步。请联系管理员登记本机。</source>
      <translation>This kiosk is not registered with the server, so it can't sync. Ask the admin to register it.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>本机时间与服务器相差 {d}，请校准本机时间。</source>
      <translation>This kiosk's clock is {d} off from the server. Please set the clock.</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>本次服务：{m} 分钟</source>
      <translation>Time served: {m} minutes</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>本站统计</source>
      <translation>Station statistics</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>本街道</source>
      <translation>This subdistrict</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>查找</source>
      <translation>Search</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>查看完整身份证号会记录在操作日志里。</source>
      <translation>Viewing the full ID number is recorded in the log.</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>查看时间币</source>
      <translation>Check time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>查看联系电话</source>
      <translation>Show phone number</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>标准颜色</source>
      <translation>Normal colours</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>标记为已处理？</source>
      <translation>Mark as handled?</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>标记已处理</source>
      <translation>Mark handled</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>标记已处理 第{n}条</source>
      <translation>Mark record {n} handled</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>楼道需要打扫</source>
      <translation>The stairwell needs cleaning</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>正在同步……</source>
      <translation>Syncing…</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>正在导出……</source>
      <translation>Exporting…</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>正在工作</source>
      <translation>Busy</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>正在打印小票……</source>
      <translation>Printing your receipt…</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>正在打印测试小票……</source>
      <translation>Printing a test receipt…</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>正在服务</source>
      <translation>In service</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>正在查询……</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>正在等志愿者认领。有人认领后，会打电话和您约时间。</source>
      <translation>Waiting for a volunteer. They will call you.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>正在读取……</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>正在读取今天的活动……</source>
      <translation>Loading today's activities…</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>正在连接</source>
      <translation>Connecting</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>正在连接服务器</source>
      <translation>Connecting to server</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>每人每天自动计入 {h} 小时，超出的部分和忘记签退的记录要在这里确认。填写要计入的分钟数（不计入就填 0），再点「确认」。</source>
      <translation>Up to {h} hours per person per day are credited automatically. Time above that, and records where people forgot to check out, must be confirmed here. Enter the minutes to credit (0 for none), then tap “Confirm”.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>每服务 1 小时记多少分钟</source>
      <translation>Minutes credited per hour served</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>比上月多 {a}{u} ▲</source>
      <translation>up {a}{u} ▲</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>比上月少 {a}{u} ▼</source>
      <translation>down {a}{u} ▼</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>水电、家电小修</source>
      <translation>Small home repairs</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>求助人：{name}</source>
      <translation>Requested by: {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>求助号码</source>
      <translation>Request number</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>求助已提交</source>
      <translation>Request sent</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>求助进度</source>
      <translation>Request status</translation>
    </message>
    <message>
      <location filename="ui/screens/identify.py" />
      <source>没有带证件？请找工作人员帮忙。</source>
      <translation>No ID with you? Please ask staff for help.</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>没有带身份证？请找工作人员帮忙。</source>
      <translation>No ID card? Please ask staff for help.</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>没有找到您的登记信息</source>
      <translation>We can't find your registration</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>没有找到这个名字。</source>
      <translation>No one found with this name.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>没有找到这位居民的登记信息。可以捐到公益池，或者请工作人员帮忙。</source>
      <translation>This resident is not registered. Donate to the welfare pool, or ask staff for help.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>没有留联系电话</source>
      <translation>No phone number left</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>没有登记上</source>
      <translation>Check-in failed</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>没有等到{w}，测试结束。</source>
      <translation>No {w} came. Test ended.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>没有等待审核的心愿。</source>
      <translation>No wishes to review.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>没有要审核的服务记录。</source>
      <translation>No service records to review.</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>没有读到身份证</source>
      <translation>ID card not read</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>没有身份证也可以只填姓名登记。</source>
      <translation>Without an ID card, a name alone is enough.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>没有身份证？请找工作人员。</source>
      <translation>No ID card? Please ask staff.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>没有这样的留言。</source>
      <translation>No such messages.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>没有进行中的心愿。</source>
      <translation>No wishes under way.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>没有通过审核</source>
      <translation>Rejected</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>活动</source>
      <translation>Events</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>活动与签到</source>
      <translation>Activities and check-in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>活动名称</source>
      <translation>Activity name</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>活动安排</source>
      <translation>Activities</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>活动签到码</source>
      <translation>Activity check-in code</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>活动：{title}</source>
      <translation>Activity: {title}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>活动：{t}（{w}）</source>
      <translation>Activity: {t} ({w})</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>测试</source>
      <translation>Test</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>测试小票已打印（{n} 字节），请查看出纸是否清楚、有没有二维码。</source>
      <translation>Test receipt printed ({n} bytes). Check the print is clear and has a QR code.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>测试已取消。</source>
      <translation>Test cancelled.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>清洁家园</source>
      <translation>Clean-up</translation>
    </message>
    <message>
      <location filename="ui/keypad.py" />
      <source>清空</source>
      <translation>Clear</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>清空重填</source>
      <translation>Clear form</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>演示设备（没有接硬件）</source>
      <translation>Demo device (no hardware)</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>点下面的话，就加到留言里；再点一次就去掉：</source>
      <translation>Tap a sentence to add it; tap again to remove it:</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>点错了，我还在服务</source>
      <translation>Mistake? I'm still serving</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>点错了，撤销签到</source>
      <translation>Mistake? Undo check-in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>状态不明</source>
      <translation>Status unknown</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>独居老人</source>
      <translation>Lives alone</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>环境卫生</source>
      <translation>Cleanliness</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>现在没有可以兑换的服务，请问问工作人员。</source>
      <translation>No services to use coins on right now. Please ask staff.</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>现在没有可以签到的活动。请看“今日活动”，或者问问工作人员。</source>
      <translation>No activity is open for check-in now. See “Today's activities” or ask staff.</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>现在没有等待认领的心愿。过几天再来看看吧。</source>
      <translation>No wishes are waiting right now. Please check back in a few days.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>现在没有进行中的需求。</source>
      <translation>No open help requests.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>理发</source>
      <translation>Haircut</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>用去 {n} 个时间币</source>
      <translation>Used {n} time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>用去：{c}</source>
      <translation>Cost: {c}</translation>
    </message>
    <message>
      <location filename="ui/screen.py" />
      <source>留在此页</source>
      <translation>Stay here</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>留电话</source>
      <translation>Add phone</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>留言</source>
      <translation>Inbox</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>留言人：{name}</source>
      <translation>From: {name}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>留言人：{who}</source>
      <translation>From: {who}</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>留言已提交</source>
      <translation>Message sent</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>留言建议</source>
      <translation>Feedback</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>留言给谁？</source>
      <translation>Who is it for?</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>留言给：{to}</source>
      <translation>To: {to}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_login.py" />
      <source>登录</source>
      <translation>Sign in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>登记</source>
      <translation>Enrol</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>登记后就可以用餐</source>
      <translation>Once checked in, you can eat</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>登记情况</source>
      <translation>Registration</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>登记成功，祝您用餐愉快</source>
      <translation>Checked in. Enjoy your meal</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>登记时间：{t}</source>
      <translation>Checked in at: {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>登记需求</source>
      <translation>Record request</translation>
    </message>
    <message>
      <location filename="ui/window.py" />
      <source>知道了</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="ui/keypad.py" />
      <source>确定</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>确定取消需求</source>
      <translation>Cancel request</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>确定认领</source>
      <translation>Confirm</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_console.py" />
      <source>确定退出</source>
      <translation>Exit</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>确认</source>
      <translation>Confirm</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>确认兑换</source>
      <translation>Yes, use coins</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>确认兑换“{name}”吗？</source>
      <translation>Use coins for “{name}”?</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>确认完成</source>
      <translation>Confirm done</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>确认捐赠</source>
      <translation>Donate</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>确认捐赠吗？</source>
      <translation>Donate now?</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>确认提交</source>
      <translation>Submit</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>确认认领</source>
      <translation>Yes, claim it</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>确认认领这个心愿吗？</source>
      <translation>Claim this wish?</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>祝您用餐愉快！</source>
      <translation>Enjoy your meal!</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>立即同步</source>
      <translation>Sync now</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>第 {n} 轮</source>
      <translation>Round {n}</translation>
    </message>
    <message>
      <location filename="ui/screens/today.py" />
      <source>第{p}页/共{n}页</source>
      <translation>Page {p} of {n}</translation>
    </message>
    <message>
      <location filename="ui/screen.py" />
      <source>第{x}步/共{y}步</source>
      <translation>Step {x} of {y}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>等待上传：{n} 条</source>
      <translation>Waiting to upload: {n}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>等待上传：没有</source>
      <translation>Waiting to upload: none</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>等待审核</source>
      <translation>To review</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>等待认领</source>
      <translation>Waiting for a helper</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>签到</source>
      <translation>Check in</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>签到 / 签退</source>
      <translation>Check in / out</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>签到中</source>
      <translation>Check-in open</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>签到成功</source>
      <translation>Checked in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>签退</source>
      <translation>Check out</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>签退成功</source>
      <translation>Checked out</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>类别</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>粤语</source>
      <translation>Cantonese</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>结束「{t}」的签到后就不能再签到了；还没签退的人会按活动结束时间签退，时长要在「待审核」里确认。</source>
      <translation>After check-in for “{t}” is closed, no one can check in. People not yet checked out are checked out at the activity's end time; confirm their time under “To review”.</translation>
    </message>
    <message>
      <location filename="ui/window.py" />
      <source>结束并返回首页</source>
      <translation>Finish and go Home</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>结束签到</source>
      <translation>Close check-in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/stats_panel.py" />
      <source>统计</source>
      <translation>Stats</translation>
    </message>
    <message>
      <location filename="ui/window.py" />
      <source>继续使用</source>
      <translation>Continue</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>维修</source>
      <translation>Repairs</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>网络未连接</source>
      <translation>Offline</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>网络未连接 · {n} 条待上传</source>
      <translation>Offline · {n} to upload</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>网络正常 · {n} 条待上传</source>
      <translation>Online · {n} to upload</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>网络正常 · 已同步</source>
      <translation>Online · all synced</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>群众</source>
      <translation>Resident</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>联系不上居民</source>
      <translation>Can't reach the resident</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>联系电话 {n} 秒后自动隐藏。</source>
      <translation>The phone number hides again in {n} seconds.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>联系电话：{p}</source>
      <translation>Phone: {p}</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>联系电话：可以不留</source>
      <translation>Phone: optional</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>获得 {n} 个时间币</source>
      <translation>Earned {n} time coins</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>获得时间币：{c} 个</source>
      <translation>Time coins earned: {c}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>行动不便</source>
      <translation>Frail</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>补充说明（可以不选）：</source>
      <translation>More details (optional):</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>补充说明：{t}</source>
      <translation>Details: {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>补充：{t}</source>
      <translation>Details: {t}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>补签</source>
      <translation>Late check-in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>计入分钟：</source>
      <translation>Minutes to credit:</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>认领后，请在 {n} 天内联系心愿人。</source>
      <translation>After claiming, please contact the person within {n} days.</translation>
    </message>
    <message>
      <location filename="ui/screens/person.py" />
      <source>认领微心愿</source>
      <translation>Claim a micro-wish</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>认领成功</source>
      <translation>Wish claimed</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>认领成功，谢谢您！</source>
      <translation>Wish claimed. Thank you!</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>认领：</source>
      <translation>Claim: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>认领：{a} · 最迟 {d} 前联系居民</source>
      <translation>Claimed: {a} · contact the resident by {d}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>设为困难群众</source>
      <translation>Mark as in need</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>设备</source>
      <translation>Devices</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>设备断开后会自动重连。测试时请按提示操作，结果显示在每台设备下方。</source>
      <translation>Devices reconnect by themselves. To test, follow the prompts; results show under each device.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>评价</source>
      <translation>Rate</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>评价服务：{what}</source>
      <translation>Rate service: {what}</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>语言</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>语音</source>
      <translation>Voice</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>语音语言</source>
      <translation>Voice language</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>语音：关</source>
      <translation>Voice: off</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>语音：开</source>
      <translation>Voice: on</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>说明</source>
      <translation>Details</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>说明：</source>
      <translation>Details: </translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>请先刷受助居民的身份证，或者选“公益池”。</source>
      <translation>First tap the recipient's ID card, or choose “Welfare pool”.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>请先刷居民的身份证，或查找并选择居民。</source>
      <translation>First tap the resident's ID card, or search for and choose the resident.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>请先刷认领人的身份证、查找姓名，或选择党组织。</source>
      <translation>First tap the helper's ID card, search for a name, or choose a Party organisation.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>请先刷身份证确认身份，再点“确认提交”。</source>
      <translation>Tap your ID card first, then tap “Submit”.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>请先刷身份证，或查找并选择参加者。</source>
      <translation>First tap an ID card, or search for and choose the participant.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>请先在左边选择活动（点「补签」）。</source>
      <translation>First choose an activity on the left (tap “Late check-in”).</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>请先点一句话，加到留言里。</source>
      <translation>First tap a sentence to add it to your message.</translation>
    </message>
    <message>
      <location filename="ui/screens/identify.py" />
      <source>请先确认身份</source>
      <translation>Please show your ID</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>请先选择一个活动。</source>
      <translation>Please choose an activity first.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>请先选择哪一天。</source>
      <translation>Please choose a day first.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_login.py" />
      <source>请先选择您的名字。</source>
      <translation>Please choose your name first.</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>请先选择留言给谁。</source>
      <translation>Please choose who it is for first.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>请党员或志愿者刷身份证，或输入姓名查找；也可以指派给党组织。</source>
      <translation>Ask the Party member or volunteer to tap their ID card, or search by name. You can also assign a Party organisation.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>请再次输入密码</source>
      <translation>Enter your password again</translation>
    </message>
    <message>
      <location filename="ui/screens/wishes.py" />
      <source>请刷身份证或扫党员码，确认您的党员身份</source>
      <translation>Tap your ID card or scan your Party member code to confirm you are a Party member</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>请刷身份证确认身份</source>
      <translation>Tap your ID card to confirm who you are</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>请参加者刷身份证，或输入姓名查找：</source>
      <translation>Ask the participant to tap their ID card, or search by name:</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>请填写取消原因。</source>
      <translation>Please give a reason for cancelling.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>请填写姓名。</source>
      <translation>Please enter the name.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>请填写服务时长（分钟）。</source>
      <translation>Please enter the service time (minutes).</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>请填写活动名称。</source>
      <translation>Please enter the activity name.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>请填写要计入的分钟数，不计入就填 0。</source>
      <translation>Enter the minutes to credit (0 for none).</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>请居民为这次服务打分，5 星最好：</source>
      <translation>Ask the resident to rate this service (5 stars is best):</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>请居民刷身份证，或输入姓名查找：</source>
      <translation>Ask the resident to tap their ID card, or search by name:</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>请工作人员联系我</source>
      <translation>Please ask staff to contact me</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>请扫任意二维码……</source>
      <translation>Scan any QR code…</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>请找工作人员登记。登记好以后，再刷一次身份证就可以了。</source>
      <translation>Please ask staff to register you. Then tap your ID card again.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>请把受助居民的身份证放在读卡区</source>
      <translation>Place the recipient's ID card on the reader</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>请把受助居民的身份证放在读卡区。</source>
      <translation>Place the recipient's ID card on the reader.</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>请把身份证放在读卡区</source>
      <translation>Place your ID card on the reader</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>请放一张身份证……</source>
      <translation>Place an ID card…</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>请来访者把身份证放在读卡器上，姓名、性别和出生日期会自动填好。</source>
      <translation>Ask the visitor to place their ID card on the reader; name, sex and birth date fill in by themselves. </translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>请点选您要办理的事情，或者刷身份证、扫党员码</source>
      <translation>Tap what you want to do, or use your ID card or Party member code</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>请输入您的手机号码</source>
      <translation>Enter your mobile number</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>请输入您的手机号码，工作人员可能会打电话给您。</source>
      <translation>Enter your mobile number. Staff may call you.</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>请输入手机号码</source>
      <translation>Enter your mobile number</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>请返回上一步，选好服务和时间。</source>
      <translation>Please go back and choose the help and the time.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>请选择哪一天</source>
      <translation>Choose a day</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>请选择哪一天：</source>
      <translation>Choose a day:</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_login.py" />
      <source>请选择您的名字，然后输入密码：</source>
      <translation>Choose your name, then enter your password:</translation>
    </message>
    <message>
      <location filename="ui/screens/person.py" />
      <source>请选择您要办理的事情：</source>
      <translation>What would you like to do?</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>请选择所在社区。</source>
      <translation>Please choose the community.</translation>
    </message>
    <message>
      <location filename="ui/screens/checkin.py" />
      <source>请选择活动，然后刷身份证或扫党员码：</source>
      <translation>Choose an activity, then tap your ID card or scan your Party member code:</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>请选择类别。</source>
      <translation>Please choose a type.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>请选择需要什么帮助。</source>
      <translation>Please choose the help needed.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>请问工作人员</source>
      <translation>Please ask staff</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>读卡失败：</source>
      <translation>Card read failed: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>读卡成功：{n}，{i}</source>
      <translation>Card read: {n}, {i}</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>谢谢您的建议</source>
      <translation>Thank you for your suggestion</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>谢谢您的爱心！</source>
      <translation>Thank you for your kindness!</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>超过每天自动计入的时长，超出部分需要确认。</source>
      <translation>Over the daily automatic limit; the extra time needs confirming.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>越快越好</source>
      <translation>Urgent</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>路灯坏了需要维修</source>
      <translation>A street light needs repair</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>身份证</source>
      <translation>ID card</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>身份证号</source>
      <translation>ID number</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>身份证阅读器</source>
      <translation>ID card reader</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>转给 {who} {n} 个时间币</source>
      <translation>Transferred {n} time coins to {who}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>输入姓名查找</source>
      <translation>Type a name to search</translation>
    </message>
    <message>
      <location filename="ui/screen.py" />
      <source>返回</source>
      <translation>Back</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>还剩：{c}</source>
      <translation>Balance: {c}</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>还差 {n} 个</source>
      <translation>{n} more needed</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>还有 {n} 条未显示，处理完上面的记录后会显示。</source>
      <translation>{n} more not shown. They appear once the records above are handled.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>还没有完成的心愿。</source>
      <translation>No wishes have come true yet.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>还没有时间币记录。</source>
      <translation>No time coin records yet.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>还没有时间币记录。参加志愿服务，就能获得时间币。</source>
      <translation>No time coin records yet. Volunteer to earn time coins.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>这个求助已经取消。还需要帮助的话，可以再求助一次。</source>
      <translation>This request was cancelled. If you still need help, you can ask again.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_console.py" />
      <source>这个页面打不开：</source>
      <translation>This page can't open: </translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>这台机器很好用</source>
      <translation>This machine is easy to use</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_login.py" />
      <source>这台自助机还没有工作人员账号。</source>
      <translation>This kiosk has no staff accounts yet.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>这张身份证已经登记过了，不用重复登记：</source>
      <translation>This ID card is already registered; no need to register again: </translation>
    </message>
    <message>
      <location filename="ui/screens/staff/__init__.py" />
      <source>这张身份证还没有登记，请先在「登记」页登记。</source>
      <translation>This ID card is not registered. Enrol it on the “Enrol” page first.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/walkin_panel.py" />
      <source>这张身份证还没有登记，请核对信息后点「登记」。</source>
      <translation>This ID card is not registered. Check the details, then tap “Enrol”.</translation>
    </message>
    <message>
      <location filename="ui/screens/coins.py" />
      <source>这是您自己的身份证。请刷受助居民的身份证，或者捐到公益池。</source>
      <translation>This is your own ID card. Tap the recipient's card, or donate to the welfare pool.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>这条留言没有留联系电话。</source>
      <translation>This message has no phone number.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>这条记录会留在本机，但不再发送到服务器，也不再显示在这里。</source>
      <translation>The record stays on this kiosk, but is no longer sent to the server or shown here.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>进度：{s}</source>
      <translation>Status: {s}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>进行中</source>
      <translation>Under way</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>连不上服务器，稍后会自动重试。请检查网络。</source>
      <translation>Can't reach the server; will retry soon. Please check the network.</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>连接：{u}</source>
      <translation>Connection: {u}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_console.py" />
      <source>退出后这台机器回到系统桌面，居民就不能使用了。确定要退出吗？</source>
      <translation>After exiting, this machine shows the system desktop and residents can't use it. Exit now?</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_console.py" />
      <source>退出自助机</source>
      <translation>Exit kiosk</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>退回待认领</source>
      <translation>Release</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>送餐</source>
      <translation>Meals</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>送饭上门</source>
      <translation>Meals to your door</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>选其他日子</source>
      <translation>Another day</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>通过，发布</source>
      <translation>Approve and publish</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>都可以</source>
      <translation>Either</translation>
    </message>
    <message>
      <location filename="ui/screen.py" />
      <source>重听</source>
      <translation>Repeat</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>重复登记</source>
      <translation>Duplicate</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>重新发送</source>
      <translation>Resend</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>重新发送 第{n}条</source>
      <translation>Resend record {n}</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>重新发送：下次同步时再发一次。标记已处理：记录留在本机，不再发送，也不再显示。</source>
      <translation>Resend: send again at the next sync. Mark handled: keep the record on this kiosk, but stop sending and showing it.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>量血压、测血糖</source>
      <translation>Blood pressure, sugar</translation>
    </message>
    <message>
      <location filename="ui/screens/staff_console.py" />
      <source>锁定</source>
      <translation>Lock</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/suggestions_panel.py" />
      <source>镇街</source>
      <translation>Town/subdistrict</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>长者饭堂</source>
      <translation>Seniors' canteen</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>长者饭堂
用餐登记</source>
      <translation>Seniors' canteen
meal check-in</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>长者饭堂用餐登记</source>
      <translation>Seniors' canteen check-in</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/activities_panel.py" />
      <source>限 {n} 人</source>
      <translation>Max. {n} people</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>陪护陪伴</source>
      <translation>Company</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>陪看病、陪聊天</source>
      <translation>Doctor visits, a chat</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>需求</source>
      <translation>Needs</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>需求列表</source>
      <translation>Help requests</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>需求列表（{n} 条进行中）</source>
      <translation>Help requests ({n} open)</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/devices_panel.py" />
      <source>需求回执码</source>
      <translation>Help request receipt code</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>需要上门</source>
      <translation>Home visit</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/needs_panel.py" />
      <source>需要什么</source>
      <translation>Help needed</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>需要时，工作人员会打电话 {p} 联系您。</source>
      <translation>If needed, staff will call you on {p}.</translation>
    </message>
    <message>
      <location filename="ui/screens/needs.py" />
      <source>需要：{c}</source>
      <translation>Need: {c}</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>颜色</source>
      <translation>Colours</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>饭菜很好吃，谢谢</source>
      <translation>The food is tasty, thank you</translation>
    </message>
    <message>
      <location filename="ui/screens/canteen.py" />
      <source>马上可以请下一位刷卡</source>
      <translation>The next person can tap in a moment</translation>
    </message>
    <message>
      <location filename="ui/screens/home.py" />
      <source>高对比</source>
      <translation>High contrast</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/wishes_panel.py" />
      <source>（已超过期限）</source>
      <translation> (overdue)</translation>
    </message>
    <message>
      <location filename="ui/screens/suggestions.py" />
      <source>（还没有内容，请点下面的话）</source>
      <translation>(Empty. Tap a sentence below)</translation>
    </message>
    <message>
      <location filename="ui/screens/staff/sync_panel.py" />
      <source>，最早一条已等待 {d}</source>
      <translation>, oldest waiting {d}</translation>
    </message>
  </context>
</TS>
