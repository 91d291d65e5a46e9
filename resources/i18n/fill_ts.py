"""Fill Simplified Chinese translations into lehe_zh_CN.ts from the glossary below.

``make translations`` runs: pyside6-lupdate (collects self.tr() strings from lehe_desktop/gui)
→ this script (fills every string the glossary knows; lists the ones it does not)
→ pyside6-lrelease (compiles the .qm the app loads). Translators may also edit the .ts in
Qt Linguist; translations already present are kept.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ZH: dict[str, str] = {
    # 个人权利: 导出此人信息 / 匿名化此人 (gui/rights.py)
    "Export this person's data…": "导出此人信息…",
    "Export this person's data": "导出此人信息",
    "Anonymise this person…": "匿名化此人…",
    "Anonymise this person": "匿名化此人",
    "Anonymise": "匿名化",
    "Anonymising…": "正在匿名化…",
    "Anonymised on this laptop. The next sync takes it to the server and every other laptop.":
        "已在本机完成匿名化。下次同步时会传到服务器和其他所有电脑。",
    "Basis": "依据",
    "Type “%1” to confirm": "请输入“%1”以确认",
    "Select a member in the list first.": "请先在列表中选择一位成员。",
    "Save the copy as": "副本另存为",
    "JSON files (*.json)": "JSON 文件 (*.json)",
    "Save to": "保存到",
    "Writing the copy…": "正在写入副本…",
    "Choose where to write the copy.": "请选择副本的保存位置。",
    "Written: %1\nReview it before you hand it over; the export is in the audit log.":
        "已写入：%1\n交给本人之前请先核对；本次导出已记入审计日志。",
    "A copy of everything this laptop holds about %1 — their record, their household's address, phones, "
    "disabilities, categories, consents and the records that name them — as one file, for them (the right of "
    "access). It holds their full, unmasked data: review it before you hand it over and keep the file safe. "
    "The export is entered in the audit log.":
        "把本机保存的关于%1的全部信息——本人记录、所在户的地址、电话、残疾、类别、知情同意以及提到此人的记录——"
        "导出为一个文件，交给本人（查阅复制权）。文件含有完整、未遮盖的个人信息：交出之前请先核对，并妥善保管文件。"
        "本次导出会记入审计日志。",
    "Anonymising %1 cannot be undone. Their name and personal fields (ID number, phones, health, disabilities, "
    "categories, notes) are scrubbed on this laptop: from their record, from the history of every change, from "
    "the search, and where other records name them (visit notes, attendance, consents). At the next sync the "
    "server and every other laptop do the same. Backups made before and copies already handed out are not "
    "reached.":
        "匿名化%1无法撤销。此人的姓名和个人信息（身份证号、电话、健康、残疾、类别、备注）将在本机被清除："
        "包括本人记录、每一次修改的历史、搜索索引，以及其他记录中提到此人的地方（走访情况、签到、知情同意）。"
        "下次同步时，服务器和其他所有电脑也会同样清除。此前做的备份和已经交出的副本无法清除。",
    # 交接本机 (gui/handover_dialog.py)
    "Hand over this laptop…": "交接本机…",
    "Hand over this laptop": "交接本机",
    "I understand: every record, backup and setting on this laptop is erased.": "我已明白：本机上的全部记录、备份和设置都将被删除。",
    "Erase and hand over": "删除并交接",
    "Checking the passphrase…": "正在核对密码…",
    "Checking whether everything has reached the server…": "正在检查是否全部数据都已到达服务器…",
    "This laptop cannot be handed over yet: %1 change(s) are not sent and %2 refused change(s) are not dealt with. Sync (File → Sync now) and deal with the refused changes first, or that work would be lost.":
        "本机暂时不能交接：还有 %1 条更改未发送、%2 条被拒收的更改未处理。请先同步（文件 → 立即同步）并处理被拒收的更改，否则这些工作将会丢失。",
    "Everything on this laptop has reached the server. Handing over signs the worker out and erases this laptop's records, local backups and settings; the key file goes first, so nothing left on the disk can be read. The next start is a first run. The logs (no personal data) stay.":
        "本机的全部数据都已到达服务器。交接将注销本机的社工，并删除本机的记录、本地备份和设置；密钥文件最先删除，磁盘上残留的内容无法再被读取。下次启动为首次使用。日志（不含个人信息）会保留。",
    "Consent…": "知情同意…",
    "Edit…": "编辑…",
    "Consent": "知情同意",
    "Consent record": "知情同意记录",
    "Person": "本人",
    "Given by": "同意人",
    "Items": "同意内容",
    "Notice": "告知书版本",
    "Withdrawn": "撤回日期",
    "New consent…": "新建同意记录…",
    "Who agreed to what, how and under which notice. A child under 14 needs a guardian's consent to sensitive information; a withdrawal ends a consent from that day on and keeps the record.":
        "记录谁同意了什么、以何种方式、依据哪一版告知书。未满14周岁的儿童，其敏感信息需要监护人同意；撤回自撤回之日起生效，记录本身保留。",
    "Row %1: ": "第 %1 行：",
    "Add": "添加",
    "Print minutes…": "打印会议纪要…",
    "Choose a meeting in the list first.": "请先在列表中选择一次会议。",
    "Remove": "删除",
    "Very weak": "很弱",
    "Weak": "弱",
    "Fair": "一般",
    "Good": "较强",
    "Strong": "强",
    "The two passphrases are different.": "两次输入的密码不一致。",
    "Creating the encrypted database…": "正在创建加密数据库…",
    "Lehe Desktop recovery key": "乐和社工 恢复密钥",
    "Lehe Desktop — first run": "乐和社工 — 初始设置",
    "Welcome. Your records are stored encrypted on this laptop. Choose a passphrase that only you "
    "know; you will type it every time you open the app.":
        "欢迎使用。您的记录加密保存在这台电脑上。请设置一个只有您知道的密码，每次打开程序时都需要输入。",
    "Your name": "您的姓名",
    "Passphrase": "密码",
    "Repeat passphrase": "再次输入密码",
    "Create": "创建",
    "This is your recovery key. It is shown only once. If you forget the passphrase, only this key "
    "can open your records. Write it down or print it and keep it somewhere safe.":
        "这是您的恢复密钥，只显示这一次。忘记密码时，只有它能打开您的记录。请抄写或打印，并妥善保管。",
    "Print…": "打印…",
    "Copy": "复制",
    "I have written it down / printed it": "我已抄写或打印了恢复密钥",
    "Click “Create” again to use it anyway.": "仍要使用这个密码，请再点一次“创建”。",
    "Continue": "继续",
    "overdue": "已逾期",
    "due": "到期",
    "risk": "风险",
    "Nothing due.": "暂无到期事项。",
    "No records yet.": "还没有记录。",
    "%1 households · %2 residents · %3 changes not yet sent": "%1 户 · %2 人 · %3 条修改尚未上传",
    "Today": "今日",
    "Follow-up visits due or overdue": "到期或逾期的跟进走访",
    "Open matters due soon": "即将到期的事项",
    "Tasks due soon": "即将到期的督办任务",
    "Recent records": "最近的记录",
    "New village": "新建村",
    "Village path, levels separated by /, e.g. 重庆市/巫溪县/白鹿镇/乐和村":
        "村的完整路径，各级用 / 分隔，例如 重庆市/巫溪县/白鹿镇/乐和村",
    "Edit household": "编辑户信息",
    "New household": "新建户",
    "New village…": "新建村…",
    "Head's sex": "户主性别",
    "Household categories": "户类别",
    "All villages": "全部村",
    "%n household(s)": "%n 户",
    "Filter by name, group or address": "按姓名、小组或地址筛选",
    "Nothing recorded for this household yet.": "这户还没有记录。",
    "Hide": "隐藏",
    "Reveal": "显示",
    "← Back": "← 返回",
    "Edit": "编辑",
    "New visit": "记录走访",
    "Add member": "添加成员",
    "Members": "家庭成员",
    "Timeline": "时间线",
    "Name": "姓名",
    "Sex": "性别",
    "Age": "年龄",
    "Relation": "与户主关系",
    "ID number": "身份证号",
    "Phone": "电话",
    "Categories": "类别",
    "Working…": "处理中…",
    "Cancel": "取消",
    "Cancelling…": "正在取消…",
    "Sync now": "立即同步",
    "Connecting to the server…": "正在连接服务器…",
    "Sending changes…": "正在上传修改…",
    "Receiving changes…": "正在下载修改…",
    "Sync finished: sent %1, received %2, new conflicts %3, refused %4":
        "同步完成：上传 %1 条，下载 %2 条，新冲突 %3 个，被拒绝 %4 条",
    "Sync failed unexpectedly; the details are in the log.": "同步意外失败，详细信息已写入日志。",
    "Sync failed: %1": "同步失败：%1",
    "Sync cancelled; what was already sent or received is kept.": "同步已取消；已上传或下载的内容会保留。",
    "%n change(s) not yet sent": "%n 条修改尚未上传",
    "%n sync problem(s)": "%n 个同步问题",
    "Enter the server address the admin gave, starting with https://": "请输入管理员提供的服务器地址，以 https:// 开头",
    "Enter the one-time code the admin gave.": "请输入管理员提供的一次性注册码。",
    "Connecting…": "正在连接…",
    "Could not connect; the details are in the log.": "无法连接，详情见日志。",
    "Connect to the server": "连接服务器",
    "Your admin gives you the server address and a one-time code. After connecting, this laptop "
    "sends and receives records for your villages whenever there is a network.":
        "管理员会给您服务器地址和一次性注册码。连接后，只要有网络，这台电脑就会上传和接收您负责的村的记录。",
    "Server address": "服务器地址",
    "One-time code": "一次性注册码",
    "Connect": "连接",
    "Connected to the server; syncing…": "已连接服务器，正在同步…",
    "Synced automatically at %1: sent %2, received %3": "已自动同步（%1）：上传 %2 条，接收 %3 条",
    "Automatic sync did not work (%1); it will try again later.": "自动同步未成功（%1），稍后会自动重试。",
    "Sync automatically": "自动同步",
    "Connect to the server…": "连接服务器…",
    "This laptop is connected to %1 as %2. Connecting again replaces that connection.":
        "这台电脑已连接到 %1（用户：%2）。重新连接会替换现有的连接。",
    "Sync problems": "同步问题",
    "Sync problems…": "同步问题…",
    "Audit log…": "审计日志…",
    "Audit log": "审计日志",
    "The audit log is intact: %1 entries.": "审计日志完好：共 %1 条。",
    "The audit log is broken at entry %1: it was changed, cut or rewritten. Tell your coordinator.":
        "审计日志第 %1 条有问题：日志被改动、截断或重写。请告知督导。",
    "No.": "序号",
    "Time": "时间",
    "User": "用户",
    "Action": "操作",
    "Records": "记录",
    "Show sync problems": "查看同步问题",
    "Conflicts (%1)": "冲突（%1）",
    "Refused changes (%1)": "被拒绝的修改（%1）",
    "Keep the value shown": "保留现在显示的值",
    "Use the overwritten value": "改用被覆盖的值",
    "Open record": "打开记录",
    "Acknowledge": "确认知悉",
    "Acknowledge all": "全部确认",
    "This record cannot be opened: it has been deleted or is not shown in this version. You can still keep "
    "one of the values.": "无法打开这条记录：它已被删除，或本版本不显示这类记录。您仍然可以选择保留哪一个值。",
    "Conflicts: two people changed the same field without seeing each other's edit. Every copy "
    "shows the same value; keep it, or use the value that was overwritten. Refused changes: the "
    "server did not accept them (for example a village outside your areas); they stay on this "
    "laptop and count as not yet sent. A record in the wrong village can be moved to one of "
    "yours and sent again; otherwise ask your coordinator (Export… makes a file for them), then "
    "acknowledge them.":
        "冲突：两个人在互不知情的情况下修改了同一项内容。所有电脑上显示的都是同一个值；可以保留它，"
        "也可以改用被覆盖的那个值。被拒绝的修改：服务器没有接收（例如村子不在您负责的范围内）；"
        "这些修改仍保存在这台电脑上，算作尚未上传。记录的村填错了，可以移到您负责的村并重新发送；"
        "否则请联系协调员（“导出…”可生成交给协调员的文件），再确认知悉。",
    "Move to my village and send again": "移到我的村并重新发送",
    "Moves the record (for a member or a visit: its household) to the village chosen on the left and "
    "sends it again whole, with everything that belongs to it.":
        "把这条记录（成员或走访则是它所属的户）移到左边选择的村，并连同它下面的全部内容完整地重新发送。",
    "One of your villages": "您负责的村",
    "Moved to %1: %2 record(s) will be sent again at the next sync.": "已移到%1：%2 条记录将在下次同步时重新发送。",
    "Export…": "导出…",
    "Save every refused change as a file for your coordinator (CSV or JSON).":
        "把所有被拒绝的修改保存为文件，交给协调员（CSV 或 JSON）。",
    "Export refused changes": "导出被拒绝的修改",
    "CSV (*.csv);;JSON (*.json)": "CSV 表格 (*.csv);;JSON (*.json)",
    "Refused changes exported to %1": "被拒绝的修改已导出到 %1",
    "This did not work: %1": "操作未成功：%1",
    "Lehe Desktop": "乐和社工",
    "Lehe social work": "乐和社工",
    "Home": "今日",
    "Households": "户",
    "Visits": "走访",
    "Activities": "活动",
    "Meetings": "会议",
    "Matters": "事项",
    "Tasks": "督办",
    "Search names, places, notes (Ctrl+F)": "搜索姓名、地点、记录内容（Ctrl+F）",
    "&File": "文件(&F)",
    "Lock now": "锁定",
    "Quit": "退出",
    "&Records": "记录(&R)",
    "New": "新建",
    "Search": "查找",
    "&Language / 语言": "语言 / Language(&L)",
    "Edit member": "编辑成员",
    "New member": "添加成员",
    "Phones": "联系电话",
    "Add phone": "添加电话",
    "Coming soon.": "即将推出。",
    "Not saved: please correct the fields marked in red.": "未保存：请修改标红的项目。",
    "Saving…": "正在保存…",
    "Not saved: an unexpected error; the details are in the log.": "未保存：发生意外错误，详情见日志。",
    "%n result(s) for “%1”": "“%1”的搜索结果：%n 条",
    "You can try again in %n second(s).": "%n 秒后可以再试。",
    "The records could not be opened: an unexpected error; the details are in the log.":
        "无法打开记录：发生意外错误，详情已写入日志。",
    "Setting up failed: an unexpected error; the details are in the log.": "设置失败：发生意外错误，详情已写入日志。",
    "Nothing here yet, or nothing matches the filters above. Ctrl+N adds a new one.":
        "这里还没有记录，或没有符合上面筛选条件的记录。按 Ctrl+N 新建。",
    "Lehe Desktop — unlock": "乐和社工 — 解锁",
    "Enter your passphrase to open your records.": "请输入密码打开您的记录。",
    "Unlock": "解锁",
    "Choose the household": "请选择户",
    "Edit visit": "编辑走访记录",
    "Type the head's name to find the household": "输入户主姓名查找户",
    "Members present": "在场成员",
    "Risk factors": "风险因素",
    "%n visit(s)": "%n 条走访",
    "Filter by household, purpose or situation": "按户、目的或情况筛选",
    "All types": "全部类型",
    "Any risk": "全部风险",
    "From": "从",
    "To": "到",
    "Type": "类型",
    "Risk": "风险",
    "Follow-up due": "待跟进",
    "Forgot the passphrase? Use the recovery key": "忘记密码？使用恢复密钥",
    "Recovery key": "恢复密钥",
    "New passphrase": "新密码",
    "Purpose": "走访目的",
    # Activities and meetings (issue 12).
    "Filter by title, series or venue": "按名称、系列或地点筛选",
    "All categories": "全部类别",
    "All series": "全部系列",
    "Category": "类别",
    "Series": "系列",
    "New activity": "新建活动",
    "Edit activity": "编辑活动",
    "%n activity(ies)": "%n 场活动",
    "Delete this activity with its sign-in list? It disappears from every list on this laptop and, after the "
    "next sync, on the others.": "删除这场活动及其签到表？删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。",
    "Target groups": "目标人群",
    "Attendance": "签到",
    "Resident": "居民",
    "Whole household": "整户",
    "Type a name to add a resident": "输入姓名添加居民",
    "Type the head's name to add the whole household": "输入户主姓名添加整户",
    "Age band": "年龄段",
    "Group": "村民小组",
    "Role": "身份",
    "%n resident(s) signed in": "已签到居民 %n 人",
    ", %n walk-in(s)": "，非登记人员 %n 人",
    "Unregistered attendees (not signed in by name)": "未登记人员（未具名签到）",
    "By sex": "按性别",
    "By age band": "按年龄段",
    "Head count only: nobody signed in by name and no breakdown.": "仅记总人数：没有具名签到，也没有人数构成。",
    "Signed in %1 + unregistered %2 = %3 by sex, %4 by age band; actual count %5.":
        "签到 %1 人 + 未登记 %2 人：按性别合计 %3 人，按年龄段合计 %4 人；实际人数 %5 人。",
    "The sums match.": "合计相符。",
    "Use as actual count": "填入实际人数",
    "This form has changes that are not saved. Save them?": "表单有尚未保存的修改。要保存吗？",
    "Delete this record? It disappears from every list on this laptop and, after the next sync, on the others.":
        "删除这条记录？删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。",
    "Delete": "删除",
    "Delete…": "删除…",
    "Not deleted: an unexpected error; the details are in the log.": "未删除：发生意外错误，详情见日志。",
    "New meeting": "新建会议",
    "Edit meeting": "编辑会议",
    "%n meeting(s)": "%n 次会议",
    "Filter by title, venue, chair or topic": "按名称、地点、主持人或议题筛选",
    "Count from participants": "按参会人员计数",
    "Delete this meeting with its participants and agenda items? Matters and tasks raised from it are kept. It "
    "disappears from every list on this laptop and, after the next sync, on the others.":
        "删除这次会议及其参会人员和议题？由议题转出的事项和任务会保留。删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。",
    "Raised": "已转出",
    "Participants": "参会人员",
    "Agenda items": "议题",
    "Raise matter…": "转为事项…",
    "Raise task…": "交办任务…",
    "Register a 三事分流 matter from this agenda item": "由此议题登记一项三事分流事项",
    "Assign a supervised task (督办) to carry out this item": "为落实此议题交办一项督办任务",
    "Raise a matter from the agenda item": "由议题登记事项",
    "Assign a task from the agenda item": "由议题交办任务",
    "%n matter(s)": "%n 项事项",
    "%n task(s)": "%n 项督办任务",
    "Add note": "添加进展",
    "Advance the matter": "推进事项",
    "Advance…": "推进…",
    "All": "全部",
    "Check-back": "回访",
    "Check-back…": "回访…",
    "Choose a matter in the list first.": "请先在列表中选择一个事项。",
    "Choose a task in the list first.": "请先在列表中选择一项任务。",
    "Choose a village in the filter first: the board is one village's.": "请先在筛选中选择一个村：公示栏按村公示。",
    "Class": "分类",
    "Date": "日期",
    "Delete “%1”? It disappears from every list on every laptop after the next sync.": "删除“%1”？下次同步后，它会从所有电脑的列表中消失。",
    "Discard the changes you made in this form?": "放弃在此表单中所做的修改？",
    "Edit matter": "编辑事项",
    "Edit task": "编辑督办任务",
    "Filter by description or responsible person": "按事项内容或责任人筛选",
    "Filter by task, owner or organisation": "按任务、责任人或单位筛选",
    "How satisfied is the person who raised it (asked by phone or a return visit)?": "反映人对办理结果是否满意（电话或上门回访）？",
    "Mark done": "标记完成",
    "Marked done.": "已标记为完成。",
    "Move to": "转为",
    "New matter": "登记事项",
    "New task": "新建督办任务",
    "Note added.": "已添加进展。",
    "Now": "当前状态",
    "Only a resolved matter can have its satisfaction checked.": "只有已办结的事项才能回访满意度。",
    "Open only": "仅未办结",
    "Overdue only": "仅逾期",
    "Progress notes": "进展记录",
    "Public board": "公示栏",
    "Public board…": "公示栏…",
    "Status": "状态",
    "The status changes with “Advance…”; the check-back with “Check-back…”.": "状态请用“推进…”更改，回访满意度请用“回访…”记录。",
    "Unsaved changes": "尚未保存",
    "What happened (dated today)": "进展情况（记为今天）",
    "Print visit…": "打印走访记录…",
    "Households concerned": "关联户",
    "Choose a visit in the list first.": "请先在列表中选择一条走访记录。",
    # File menu: backup, restore, export, passphrase, diagnostics (gui/file_menu.py, gui/file_dialogs.py)
    "Back up…": "备份…",
    "Restore from a backup…": "从备份恢复…",
    "Change passphrase…": "修改密码…",
    "Export diagnostics…": "导出诊断信息…",
    "Back up to": "备份到",
    "Lehe backups (*.lehe-backup)": "乐和社工备份 (*.lehe-backup)",
    "Writing the backup…": "正在写入备份…",
    "Choose where to write the backup.": "请选择备份写到哪里。",
    "Backup written to %1 (%2): %3. Keep it somewhere other than this laptop, e.g. on a USB stick kept "
    "locked away.": "备份已写入 %1（%2）：%3。请把它存放在这台电脑以外的地方，例如锁好的U盘。",
    "Back up": "备份",
    "A backup is one encrypted file with all your records. It opens only with your passphrase or your "
    "recovery key, on this laptop or a new one. Type your passphrase to confirm it is you.":
        "备份是一个加密文件，包含您的全部记录，只能用您的密码或恢复密钥打开（在这台电脑或新电脑上）。请输入密码，确认是您本人。",
    # Restore on a fresh install, from the first-run screen (gui/restore_new.py)
    "Restore": "恢复",
    "Back": "返回",
    "Worker: %1": "社工：%1",
    "Choose a new passphrase for this laptop. The backup's recovery key keeps working.":
        "请为这台电脑设置新密码。备份原来的恢复密钥仍然有效。",
    "Restoring…": "正在恢复…",
    "The backup's passphrase": "备份时的密码",
    "Bring your records to this laptop from a backup file. It opens with the passphrase it was made under, "
    "or with the recovery key. Nothing is written until you have seen what it holds.":
        "从备份文件把您的记录恢复到这台电脑。需要做备份时的密码，或恢复密钥。看过备份的内容之前，不会写入任何东西。",
    "I use the recovery key instead": "改用恢复密钥",
    "Something went wrong unexpectedly; the details are in the log.": "发生意外错误，详情已写入日志。",
    "Save diagnostics as": "诊断信息保存为",
    "ZIP files (*.zip)": "ZIP 文件 (*.zip)",
    "Gathering diagnostics…": "正在收集诊断信息…",
    "Choose where to save the diagnostics.": "请选择诊断信息保存到哪里。",
    "The file already exists and will not be overwritten: %1": "文件已存在，不会覆盖：%1",
    "Diagnostics saved to %1. Send this file to your coordinator or support.":
        "诊断信息已保存到 %1。请把这个文件发给协调员或技术支持。",
    "Export diagnostics": "导出诊断信息",
    "For a support request: the app and system versions, the database's structure and health, how many "
    "records of each kind there are, and the app's logs. No names, ID numbers, phone numbers, addresses or "
    "notes are included.":
        "用于技术支持：程序和系统的版本、数据库的结构和完好情况、各类记录的数量，以及程序日志。"
        "不包含任何姓名、身份证号、电话、住址或备注。",
    "Save as": "保存为",
    "Save": "保存",
    "Every record type, without names, ID numbers, phones and free text; ids replaced by pseudonyms, birth "
    "dates by the year. For reports.":
        "所有记录类型，但去掉姓名、身份证号、电话和自由填写的文字；编号换成假名编号，出生日期只留年份。适合做报表。",
    "Only counts per village (counts of 1–4 shown as <5). The safest to hand out.":
        "只有按村统计的数量（1–4 显示为 <5）。对外提供时最安全。",
    "Everything, with names and ID numbers — only inside a password-protected, AES-256 encrypted ZIP file. "
    "Give the password separately (by phone, not in the same message).":
        "全部内容，含姓名和身份证号——只写入有密码保护的 AES-256 加密 ZIP 文件。"
        "密码请另行告知（例如打电话，不要和文件在同一条消息里发送）。",
    "Export into folder": "导出到文件夹",
    "Exporting…": "正在导出…",
    "Choose a folder for the export.": "请选择导出到哪个文件夹。",
    "The archive password needs at least %1 characters.": "压缩包密码至少需要 %1 个字符。",
    "The two passwords are different.": "两次输入的密码不一致。",
    "Export written to %1:": "导出完成，已写入 %1：",
    "Open it with 7-Zip (or WinRAR, Bandizip, PeaZip) and the password.":
        "请用 7-Zip（或 WinRAR、Bandizip、PeaZip）和密码打开。",
    "Export": "导出",
    "De-identified records": "去标识化的记录",
    "Counts only (aggregate)": "只导出统计数（汇总）",
    "Named records (encrypted ZIP)": "实名记录（加密 ZIP）",
    "CSV (one file per record type)": "CSV（每类记录一个文件）",
    "Excel workbook (.xlsx)": "Excel 工作簿 (.xlsx)",
    "What": "导出内容",
    "Format": "格式",
    "Into folder": "导出到",
    "ZIP password": "压缩包密码",
    "Repeat password": "再次输入密码",
    "Which programs open this file: the ZIP is encrypted with AES-256. Open it with 7-Zip (free), WinRAR, "
    "Bandizip or PeaZip, or on a Mac with Keka. Windows' built-in zip (double-clicking in Explorer) cannot "
    "open it and may say the file is damaged or the password is wrong — it is not.":
        "用什么程序打开：这个 ZIP 文件用 AES-256 加密。请用 7-Zip（免费）、WinRAR、Bandizip 或 PeaZip 打开，"
        "苹果电脑可用 Keka。Windows 自带的压缩功能（在资源管理器里双击）打不开它，还可能提示文件损坏或密码错误"
        "——其实文件和密码都没有问题。",
    "Cancelled.": "已取消。",
    "Close": "关闭",
    "Browse…": "浏览…",
    "Open folder": "打开文件夹",
    "Changing the passphrase…": "正在修改密码…",
    "The new passphrase is the same as the current one.": "新密码与当前密码相同。",
    "Click “Change” again to use it anyway.": "仍要使用这个密码，请再点一次“修改”。",
    "Passphrase changed. Use the new one from now on; the recovery key stays the same.":
        "密码已修改。从现在起请使用新密码；恢复密钥不变。",
    "Change passphrase": "修改密码",
    "The new passphrase opens your records from now on. Your records are not re-encrypted, so this is "
    "quick; backups made before still open with this laptop's key.":
        "从现在起用新密码打开您的记录。记录不需要重新加密，所以很快；以前的备份仍可用本机密钥打开。",
    "Current passphrase": "当前密码",
    "Change": "修改",
    "Restore from": "从以下文件恢复",
    "Lehe backups (*.lehe-backup);;All files (*)": "乐和社工备份 (*.lehe-backup);;所有文件 (*)",
    "Reading the backup…": "正在读取备份…",
    "Choose a backup file (.lehe-backup).": "请选择一个备份文件（.lehe-backup）。",
    "File: %1 (%2)": "文件：%1（%2）",
    "Made: %1 (the file's date; this backup does not say)": "备份时间：%1（文件日期；这个备份没有记录时间）",
    "Made: %1": "备份时间：%1",
    "By app version: %1": "程序版本：%1",
    "not recorded": "未记录",
    "From: this laptop": "来自：本机",
    "From: another installation (%1)": "来自：另一台电脑或另一次安装（%1）",
    "Latest change in it: %1": "其中最新的修改：%1",
    "Restoring replaces everything on this laptop with this backup. What was entered after %1 and not yet "
    "synced is lost. A copy of today's data is kept first among the automatic backups.":
        "恢复会用这个备份替换本机上的全部数据。%1 之后录入且尚未同步的内容将会丢失。"
        "替换之前，现在的数据会先保存一份到自动备份中。",
    "Restore from a backup": "从备份恢复",
    "Choose a backup file. Nothing is replaced yet: first you see what the backup holds and when it was "
    "made, and then decide.": "请选择备份文件。此时还不会替换任何数据：先显示备份里有什么、何时备份的，再由您决定。",
    "Backup file": "备份文件",
    "Read the backup": "读取备份",
    "Replace my data with this backup": "用这个备份替换我的数据",
    "In the backup": "备份中",
    "On this laptop now": "本机现有",
    "Restored from the backup %1; this is its data now.": "已从备份 %1 恢复；现在显示的是备份中的数据。",
    "The backup was not restored; your data is as it was.": "未恢复备份；您的数据保持原样。",
    "Something went wrong unexpectedly; the details are in the log (Export diagnostics…).":
        "出现意外错误；详情已写入日志（可用“导出诊断信息…”发给技术支持）。",
    "Enter the current passphrase first.": "请先输入当前密码。",
    "This laptop is not connected to the server yet (or has not yet received its list of devices): connect "
    "with File → Connect to the server…, then choose Sync now once.":
        "本机尚未连接服务器（或还没有收到服务器的设备名单）：请先用“文件 → 连接服务器…”连接，再“立即同步”一次。",
    # Roster import (文件 → 导入花名册) and the bin (记录 → 回收站).
    "Import roster…": "导入花名册…",
    "Bin…": "回收站…",
    "Import roster": "导入花名册",
    "Choose a roster": "选择花名册",
    "Rosters (*.xlsx *.csv);;All files (*)": "花名册 (*.xlsx *.csv);;所有文件 (*)",
    "Reading and checking the roster…": "正在读取并检查花名册…",
    "Checking cancelled; nothing was written.": "已取消检查，没有写入任何内容。",
    "Header (line %1): ": "表头（第 %1 行）：",
    "Nothing has been written yet. Import writes the rows marked “will be imported”; rows with errors are "
    "left out.": "尚未写入任何内容。点“导入”将写入标为“将导入”的行；有错误的行不导入。",
    "There is nothing new to import.": "没有需要导入的新内容。",
    "%1 rows: %2 will be imported (%3 new households), %4 already present, %5 with errors (not imported), "
    "%6 with warnings": "共 %1 行：将导入 %2 人（新增 %3 户），已存在 %4 人，有错误 %5 行（不导入），有提醒 %6 行",
    "The roster could not be checked: an unexpected error; the details are in the log.":
        "无法检查花名册：发生意外错误，详情见日志。",
    "Importing…": "正在导入…",
    "Import cancelled: nothing was written.": "已取消导入，没有写入任何内容。",
    "Imported %1 residents (%2 new households); %3 already present; %4 rows with errors were not imported.":
        "已导入 %1 人（新增 %2 户）；已存在 %3 人；有错误的 %4 行未导入。",
    "an unexpected error; the details are in the log": "发生意外错误，详情见日志",
    "Not imported (nothing was written): %1": "未导入（没有写入任何内容）：%1",
    "A roster (花名册) in Excel (.xlsx) or CSV: one row per person, with the columns 村, 组, 户主姓名, 姓名 and "
    "与户主关系 (地址, 性别, 出生日期, 身份证号, 电话 and 类别 if you have them). Every row is checked and shown "
    "below before anything is written.":
        "花名册可以是 Excel（.xlsx）或 CSV 文件：每人一行，须有 村、组、户主姓名、姓名、与户主关系 这几列"
        "（有 地址、性别、出生日期、身份证号、电话、类别 更好）。写入之前，每一行都会先检查并显示在下面。",
    "No file chosen": "尚未选择文件",
    "Choose file…": "选择文件…",
    "Only rows with problems": "只看有问题的行",
    "Import": "导入",
    "Bin": "回收站",
    "The bin is empty.": "回收站是空的。",
    "Deleted by mistake? Records → Bin… brings it back.": "误删了？可以在“记录 → 回收站…”中恢复。",
    "The server address starts with http://: the data would cross the network unencrypted, so it was refused. "
    "Use the https:// address the admin gave.":
        "服务器地址以 http:// 开头，数据会以明文在网络上传输，已拒绝：请使用管理员提供的 https:// 地址。",
    "The bin could not be read; the details are in the log.": "无法读取回收站，详情见日志。",
    "%n record(s) restored; they will be sent at the next sync.": "已恢复 %n 条记录，下次同步时上传。",
    "Not restored: an unexpected error; the details are in the log.": "未恢复：发生意外错误，详情见日志。",
    "Records deleted on this laptop or on others (after a sync). Restoring a record also brings back what "
    "was deleted with it — a household's members and visits, a visit's needs — and is sent to the server "
    "like any edit.":
        "在这台电脑或（同步后）其他电脑上删除的记录。恢复一条记录时，和它一起删除的内容（户的成员和走访、"
        "走访记录的需求等）也一并恢复；恢复和其他修改一样会上传到服务器。",
    "No problems.": "没有问题。",
    "Line %1: ": "第 %1 行：",
    # 记录 → 类别管理… (gui/vocab_page.py)
    "Categories…": "类别管理…",
    "Manage categories": "类别管理",
    "Vocabulary": "词表",
    "Code": "代码",
    "Chinese": "中文",
    "English": "英文",
    "Offered": "表单中提供",
    "Yes": "是",
    "No": "否",
    "Chinese label": "中文名称",
    "English label": "英文名称",
    "lower-case letters, digits, _": "小写字母、数字或下划线",
    "Rename": "改名",
    "Activate": "启用",
    "Deactivate": "停用",
    "Enter a code and a Chinese label.": "请填写代码和中文名称。",
    "Select a category and enter its new Chinese label.": "请先选择一个类别，并填写新的中文名称。",
    "Added %1.": "已添加 %1。",
    "Renamed %1.": "已改名 %1。",
    "%1 is offered in forms again.": "%1 已重新启用，表单中可以选择。",
    "%1 is no longer offered in forms; records that use it keep its label.":
        "%1 已停用，表单中不再提供；已使用它的记录仍显示原名称。",
    "That did not work; the details are in the log.": "操作没有成功，详情见日志。",
    "Codes are never deleted: a deactivated code is no longer offered in forms, and records that use it keep "
    "its label. Changes reach every laptop by sync.":
        "代码不会被删除：停用的代码不再出现在表单中，已使用它的记录仍显示原名称。修改会通过同步到达每台电脑。",
    "Only coordinators and administrators may change categories.": "只有协调员和管理员可以修改类别。",
    # drafts (gui/drafts.py)
    "Unsaved form": "未保存的表单",
    "You have an unsaved %1 form from %2. Continue with it, or discard it?": "您有一份未保存的%1表单（%2）。继续填写，还是放弃？",
    "Discard": "放弃",
    # Sync bundles (gui/bundles.py)
    "Export sync bundle…": "导出同步包…",
    "Import sync bundle…": "导入同步包…",
    "Export sync bundle": "导出同步包",
    "Import sync bundle": "导入同步包",
    "Apply": "导入",
    "Sync bundles (*.lehe)": "同步包 (*.lehe)",
    "Writes every change the server has not yet acknowledged to one file for a USB stick. Only the server "
    "and your coordinators can open it. The changes stay marked unsent until the receipt comes back.":
        "把服务器还没有确认的所有修改写进一个文件，用 U 盘带走。只有服务器和您的协调员能打开它。"
        "回执带回来之前，这些修改仍算作未上传。",
    "Exported %n change(s) to %1. The file was read back and checked: you may remove the stick.":
        "已导出 %n 条修改到 %1。文件已读回检查无误，可以拔出 U 盘。",
    "Choose a sync bundle (.lehe) from the server or from a worker. It is checked whole first; nothing "
    "changes until you apply it.": "选择服务器或社工给的同步包（.lehe）。先整体检查，点“导入”之前什么都不会改动。",
    "Checking the bundle…": "正在检查同步包…",
    "the server": "服务器",
    "From: %1": "来自：%1",
    "Exported: %1": "导出时间：%1",
    "Changes: %n": "修改：%n 条",
    "Edited between %1 and %2": "修改时间：%1 至 %2",
    "Applying…": "正在导入…",
    "Sync bundles sent and received…": "同步包记录…",
    "Sync bundles": "同步包",
    "Workers' bundles (overdue after 14 days)": "社工的同步包（超过 14 天算逾期）",
    "Bundles sent and received": "发出和收到的同步包",
    "State": "状态",
    "Worker": "社工",
    "Last bundle": "最近一次同步包",
    "Areas": "地区",
    "When": "时间",
    "Direction": "方向",
    "Content / from": "内容 / 来自",
    "Receipt": "回执",
    "in": "已收到",
    "never": "从未收到",
    "sent": "发出",
    "received": "收到",
    "no receipt yet": "尚无回执",
    "%n change(s)": "%n 条修改",
    "Applied: %1 new, %2 already here, %3 waiting for their record, %4 refused, %5 new conflicts.\n"
    "Receipt for the sender: %6": "已导入：新增 %1 条，已有 %2 条，等待所属记录 %3 条，拒收 %4 条，新冲突 %5 个。\n"
    "给发送方的回执：%6",
}


def fill(ts_path: Path) -> list[str]:
    tree = ET.parse(ts_path)
    missing: list[str] = []
    for msg in tree.iter("message"):
        source = msg.findtext("source") or ""
        tr = msg.find("translation")
        if tr is None:
            tr = ET.SubElement(msg, "translation")
        zh = ZH.get(source)
        if zh is None:
            if tr.get("type") in ("unfinished", None) and not (tr.text or list(tr)):
                missing.append(source)
            continue
        tr.attrib.pop("type", None)
        if msg.get("numerus") == "yes":
            for child in list(tr):
                tr.remove(child)
            tr.text = None
            ET.SubElement(tr, "numerusform").text = zh   # Chinese has one plural form
        else:
            tr.text = zh
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    return missing


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("lehe_zh_CN.ts")
    gaps = fill(path)
    for s in gaps:
        print(f"untranslated: {s!r}", file=sys.stderr)
    sys.exit(1 if gaps else 0)
