<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActivitiesPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/activities.py" line="520" />
        <source>%n activity(ies)</source>
        <translation><numerusform>%n 场活动</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="538" />
        <source>Filter by title, series or venue</source>
        <translation>按名称、系列或地点筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="539" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="540" />
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="541" />
        <source>All series</source>
        <translation>全部系列</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="544" />
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="545" />
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="546" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="547" />
        <source>Series</source>
        <translation>系列</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="548" />
        <source>New activity</source>
        <translation>新建活动</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="432" />
        <source>Delete this activity with its sign-in list? It disappears from every list on this laptop and, after the next sync, on the others.</source>
        <translation>删除这场活动及其签到表？删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="437" />
        <source>Edit activity</source>
        <translation>编辑活动</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="437" />
        <source>New activity</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="438" />
        <source>Target groups</source>
        <translation>目标人群</translation>
    </message>
</context>
<context>
    <name>AdvanceDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="281" />
        <source>Not saved: an unexpected error; the details are in the log.</source>
        <translation>未保存：发生意外错误，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="288" />
        <source>Advance the matter</source>
        <translation>推进事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="290" />
        <source>Now</source>
        <translation>当前状态</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="290" />
        <source>Move to</source>
        <translation>转为</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="290" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
</context>
<context>
    <name>AgendaRows</name>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="222" />
        <source>Agenda items</source>
        <translation>议题</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="225" />
        <source>Raised</source>
        <translation>已转出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="227" />
        <source>Raise matter…</source>
        <translation>转为事项…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="228" />
        <source>Raise task…</source>
        <translation>交办任务…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="229" />
        <source>Register a 三事分流 matter from this agenda item</source>
        <translation>由此议题登记一项三事分流事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="230" />
        <source>Assign a supervised task (督办) to carry out this item</source>
        <translation>为落实此议题交办一项督办任务</translation>
    </message>
</context>
<context>
    <name>AttendancePicker</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/activities.py" line="255" />
        <source>%n resident(s) signed in</source>
        <translation><numerusform>已签到居民 %n 人</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/activities.py" line="256" />
        <source>, %n walk-in(s)</source>
        <translation><numerusform>，非登记人员 %n 人</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="269" />
        <source>Head count only: nobody signed in by name and no breakdown.</source>
        <translation>仅记总人数：没有具名签到，也没有人数构成。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="272" />
        <source>Signed in %1 + unregistered %2 = %3 by sex, %4 by age band; actual count %5.</source>
        <translation>签到 %1 人 + 未登记 %2 人：按性别合计 %3 人，按年龄段合计 %4 人；实际人数 %5 人。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="280" />
        <source>The sums match.</source>
        <translation>合计相符。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="329" />
        <source>Attendance</source>
        <translation>签到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="330" />
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="331" />
        <source>Whole household</source>
        <translation>整户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="332" />
        <source>Type a name to add a resident</source>
        <translation>输入姓名添加居民</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="333" />
        <source>Type the head's name to add the whole household</source>
        <translation>输入户主姓名添加整户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="334" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="334" />
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="334" />
        <source>Age band</source>
        <translation>年龄段</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="335" />
        <source>Group</source>
        <translation>村民小组</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="335" />
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="336" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="337" />
        <source>Unregistered attendees (not signed in by name)</source>
        <translation>未登记人员（未具名签到）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="338" />
        <source>By sex</source>
        <translation>按性别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="339" />
        <source>By age band</source>
        <translation>按年龄段</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="345" />
        <source>Use as actual count</source>
        <translation>填入实际人数</translation>
    </message>
</context>
<context>
    <name>BundleLogDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="284" />
        <source>in</source>
        <translation>已收到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="284" />
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="284" />
        <source>never</source>
        <translation>从未收到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="297" />
        <source>the server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="298" />
        <source>no receipt yet</source>
        <translation>尚无回执</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="299" />
        <source>sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="299" />
        <source>received</source>
        <translation>收到</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/bundles.py" line="300" />
        <source>%n change(s)</source>
        <translation><numerusform>%n 条修改</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="310" />
        <source>Sync bundles</source>
        <translation>同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="311" />
        <source>Workers' bundles (overdue after 14 days)</source>
        <translation>社工的同步包（超过 14 天算逾期）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="312" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="312" />
        <source>Worker</source>
        <translation>社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="312" />
        <source>Last bundle</source>
        <translation>最近一次同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="313" />
        <source>Areas</source>
        <translation>地区</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="314" />
        <source>Bundles sent and received</source>
        <translation>发出和收到的同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="315" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="315" />
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="315" />
        <source>Content / from</source>
        <translation>内容 / 来自</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="316" />
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="317" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CheckBackDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="325" />
        <source>Check-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="326" />
        <source>How satisfied is the person who raised it (asked by phone or a return visit)?</source>
        <translation>反映人对办理结果是否满意（电话或上门回访）？</translation>
    </message>
</context>
<context>
    <name>ChildRows</name>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="206" />
        <source>Row %1: </source>
        <translation>第 %1 行：</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="212" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="213" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>EditDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="353" />
        <source>This form has changes that are not saved. Save them?</source>
        <translation>表单有尚未保存的修改。要保存吗？</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="376" />
        <source>Delete this record? It disappears from every list on this laptop and, after the next sync, on the others.</source>
        <translation>删除这条记录？删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="386" />
        <location filename="../../lehe_desktop/gui/dialogs.py" line="433" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="419" />
        <source>Not deleted: an unexpected error; the details are in the log.</source>
        <translation>未删除：发生意外错误，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="426" />
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="431" />
        <source>Delete “%1”? It disappears from every list on every laptop after the next sync.</source>
        <translation>删除“%1”？下次同步后，它会从所有电脑的列表中消失。</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="94" />
        <source>Enter the server address the admin gave, starting with https://</source>
        <translation>请输入管理员提供的服务器地址，以 https:// 开头</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="97" />
        <source>Enter the one-time code the admin gave.</source>
        <translation>请输入管理员提供的一次性注册码。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="102" />
        <location filename="../../lehe_desktop/gui/enrol.py" line="144" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="118" />
        <source>Could not connect; the details are in the log.</source>
        <translation>无法连接，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="130" />
        <source>Connect to the server</source>
        <translation>连接服务器</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="132" />
        <source>Your admin gives you the server address and a one-time code. After connecting, this laptop sends and receives records for your villages whenever there is a network.</source>
        <translation>管理员会给您服务器地址和一次性注册码。连接后，只要有网络，这台电脑就会上传和接收您负责的村的记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="135" />
        <source>This laptop is connected to %1 as %2. Connecting again replaces that connection.</source>
        <translation>这台电脑已连接到 %1（用户：%2）。重新连接会替换现有的连接。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="138" />
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="139" />
        <source>One-time code</source>
        <translation>一次性注册码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="140" />
        <source>Connect</source>
        <translation>连接</translation>
    </message>
</context>
<context>
    <name>ExportBundleDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="120" />
        <location filename="../../lehe_desktop/gui/bundles.py" line="129" />
        <source>Export sync bundle</source>
        <translation>导出同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="121" />
        <source>Writes every change the server has not yet acknowledged to one file for a USB stick. Only the server and your coordinators can open it. The changes stay marked unsent until the receipt comes back.</source>
        <translation>把服务器还没有确认的所有修改写进一个文件，用 U 盘带走。只有服务器和您的协调员能打开它。回执带回来之前，这些修改仍算作未上传。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="124" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="130" />
        <source>Sync bundles (*.lehe)</source>
        <translation>同步包 (*.lehe)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="139" />
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/bundles.py" line="150" />
        <source>Exported %n change(s) to %1. The file was read back and checked: you may remove the stick.</source>
        <translation><numerusform>已导出 %n 条修改到 %1。文件已读回检查无误，可以拔出 U 盘。</numerusform></translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="108" />
        <source>Very weak</source>
        <translation>很弱</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="108" />
        <source>Weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="108" />
        <source>Fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="108" />
        <source>Good</source>
        <translation>较强</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="108" />
        <source>Strong</source>
        <translation>强</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="120" />
        <source>The two passphrases are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="126" />
        <source>Click “Create” again to use it anyway.</source>
        <translation>仍要使用这个密码，请再点一次“创建”。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="131" />
        <source>Creating the encrypted database…</source>
        <translation>正在创建加密数据库…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="206" />
        <source>Lehe Desktop recovery key</source>
        <translation>乐和社工 恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="221" />
        <source>Lehe Desktop — first run</source>
        <translation>乐和社工 — 初始设置</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="223" />
        <source>Welcome. Your records are stored encrypted on this laptop. Choose a passphrase that only you know; you will type it every time you open the app.</source>
        <translation>欢迎使用。您的记录加密保存在这台电脑上。请设置一个只有您知道的密码，每次打开程序时都需要输入。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="225" />
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="226" />
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="227" />
        <source>Repeat passphrase</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="228" />
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="230" />
        <source>This is your recovery key. It is shown only once. If you forget the passphrase, only this key can open your records. Write it down or print it and keep it somewhere safe.</source>
        <translation>这是您的恢复密钥，只显示这一次。忘记密码时，只有它能打开您的记录。请抄写或打印，并妥善保管。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="232" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="233" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="234" />
        <source>I have written it down / printed it</source>
        <translation>我已抄写或打印了恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="235" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="115" />
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="115" />
        <source>due</source>
        <translation>到期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="119" />
        <source>risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="131" />
        <source>Nothing due.</source>
        <translation>暂无到期事项。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="131" />
        <source>No records yet.</source>
        <translation>还没有记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="135" />
        <source>%1 households · %2 residents · %3 changes not yet sent</source>
        <translation>%1 户 · %2 人 · %3 条修改尚未上传</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="147" />
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="148" />
        <source>Follow-up visits due or overdue</source>
        <translation>到期或逾期的跟进走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="149" />
        <source>Open matters due soon</source>
        <translation>即将到期的事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="150" />
        <source>Tasks due soon</source>
        <translation>即将到期的督办任务</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="151" />
        <source>Recent records</source>
        <translation>最近的记录</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="475" />
        <source>New village</source>
        <translation>新建村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="476" />
        <source>Village path, levels separated by /, e.g. 重庆市/巫溪县/白鹿镇/乐和村</source>
        <translation>村的完整路径，各级用 / 分隔，例如 重庆市/巫溪县/白鹿镇/乐和村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="508" />
        <source>Edit household</source>
        <translation>编辑户信息</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="508" />
        <source>New household</source>
        <translation>新建户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="509" />
        <source>New village…</source>
        <translation>新建村…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="510" />
        <source>Head's sex</source>
        <translation>户主性别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="512" />
        <source>Household categories</source>
        <translation>户类别</translation>
    </message>
</context>
<context>
    <name>HouseholdLinks</name>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="176" />
        <source>Households concerned</source>
        <translation>关联户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="177" />
        <source>Type the head's name to find the household</source>
        <translation>输入户主姓名查找户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="178" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>HouseholdList</name>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="136" />
        <location filename="../../lehe_desktop/gui/households.py" line="154" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/households.py" line="143" />
        <source>%n household(s)</source>
        <translation><numerusform>%n 户</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="151" />
        <source>Filter by name, group or address</source>
        <translation>按姓名、小组或地址筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="152" />
        <source>New household</source>
        <translation>新建户</translation>
    </message>
</context>
<context>
    <name>HouseholdProfile</name>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="354" />
        <source>Nothing recorded for this household yet.</source>
        <translation>这户还没有记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="365" />
        <location filename="../../lehe_desktop/gui/households.py" line="403" />
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="365" />
        <location filename="../../lehe_desktop/gui/households.py" line="403" />
        <source>Reveal</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="399" />
        <source>← Back</source>
        <translation>← 返回</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="400" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="401" />
        <source>New visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="402" />
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="404" />
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="405" />
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="407" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="407" />
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="407" />
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="407" />
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="407" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="408" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="408" />
        <source>Categories</source>
        <translation>类别</translation>
    </message>
</context>
<context>
    <name>ImportBundleDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="169" />
        <location filename="../../lehe_desktop/gui/bundles.py" line="179" />
        <source>Import sync bundle</source>
        <translation>导入同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="170" />
        <source>Choose a sync bundle (.lehe) from the server or from a worker. It is checked whole first; nothing changes until you apply it.</source>
        <translation>选择服务器或社工给的同步包（.lehe）。先整体检查，点“导入”之前什么都不会改动。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="172" />
        <source>Apply</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="180" />
        <source>Sync bundles (*.lehe)</source>
        <translation>同步包 (*.lehe)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="194" />
        <source>Checking the bundle…</source>
        <translation>正在检查同步包…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="209" />
        <source>the server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="210" />
        <source>From: %1</source>
        <translation>来自：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="211" />
        <source>Made: %1</source>
        <translation>导出时间：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/bundles.py" line="212" />
        <source>Changes: %n</source>
        <translation><numerusform>修改：%n 条</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="214" />
        <source>Edited between %1 and %2</source>
        <translation>修改时间：%1 至 %2</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="226" />
        <source>Applying…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="236" />
        <source>Applied: %1 new, %2 already here, %3 waiting for their record, %4 refused, %5 new conflicts.
Receipt for the sender: %6</source>
        <translation>已导入：新增 %1 条，已有 %2 条，等待所属记录 %3 条，拒收 %4 条，新冲突 %5 个。
给发送方的回执：%6</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="490" />
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="530" />
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="530" />
        <source>Sending changes…</source>
        <translation>正在上传修改…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="531" />
        <source>Receiving changes…</source>
        <translation>正在下载修改…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="542" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="571" />
        <source>Connected to the server; syncing…</source>
        <translation>已连接服务器，正在同步…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="618" />
        <source>Sync finished: sent %1, received %2, new conflicts %3, refused %4</source>
        <translation>同步完成：上传 %1 条，下载 %2 条，新冲突 %3 个，被拒绝 %4 条</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="615" />
        <source>Synced automatically at %1: sent %2, received %3</source>
        <translation>已自动同步（%1）：上传 %2 条，接收 %3 条</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="632" />
        <source>Sync failed unexpectedly; the details are in the log.</source>
        <translation>同步意外失败，详细信息已写入日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="635" />
        <source>Automatic sync did not work (%1); it will try again later.</source>
        <translation>自动同步未成功（%1），稍后会自动重试。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="638" />
        <source>Sync failed: %1</source>
        <translation>同步失败：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="645" />
        <source>Sync cancelled; what was already sent or received is kept.</source>
        <translation>同步已取消；已上传或下载的内容会保留。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="660" />
        <location filename="../../lehe_desktop/gui/main_window.py" line="799" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="663" />
        <source>Show sync problems</source>
        <translation>查看同步问题</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="747" />
        <source>%n change(s) not yet sent</source>
        <translation><numerusform>%n 条修改尚未上传</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="748" />
        <source>%n sync problem(s)</source>
        <translation><numerusform>%n 个同步问题</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="791" />
        <source>Lehe Desktop</source>
        <translation>乐和社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="792" />
        <source>Lehe social work</source>
        <translation>乐和社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="793" />
        <source>Home</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="793" />
        <source>Households</source>
        <translation>户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="793" />
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="793" />
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="794" />
        <source>Meetings</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="794" />
        <source>Matters</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="794" />
        <source>Tasks</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="797" />
        <source>Search names, places, notes (Ctrl+F)</source>
        <translation>搜索姓名、地点、记录内容（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="798" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="800" />
        <source>Sync automatically</source>
        <translation>自动同步</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="801" />
        <source>Connect to the server…</source>
        <translation>连接服务器…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="802" />
        <source>Sync problems…</source>
        <translation>同步问题…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="803" />
        <source>Export sync bundle…</source>
        <translation>导出同步包…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="804" />
        <source>Import sync bundle…</source>
        <translation>导入同步包…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="805" />
        <source>Sync bundles sent and received…</source>
        <translation>同步包记录…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="806" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="807" />
        <source>Lock now</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="808" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="809" />
        <source>&amp;Records</source>
        <translation>记录(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="810" />
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="811" />
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="812" />
        <source>&amp;Language / 语言</source>
        <translation>语言 / Language(&amp;L)</translation>
    </message>
</context>
<context>
    <name>MatterDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="213" />
        <source>Edit matter</source>
        <translation>编辑事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="213" />
        <source>New matter</source>
        <translation>登记事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="214" />
        <source>The status changes with “Advance…”; the check-back with “Check-back…”.</source>
        <translation>状态请用“推进…”更改，回访满意度请用“回访…”记录。</translation>
    </message>
</context>
<context>
    <name>MattersPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/matters.py" line="432" />
        <source>%n matter(s)</source>
        <translation><numerusform>%n 项事项</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="441" />
        <location filename="../../lehe_desktop/gui/matters.py" line="509" />
        <source>Matters</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="441" />
        <source>Choose a matter in the list first.</source>
        <translation>请先在列表中选择一个事项。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="481" />
        <source>Check-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="482" />
        <source>Only a resolved matter can have its satisfaction checked.</source>
        <translation>只有已办结的事项才能回访满意度。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="500" />
        <source>Public board</source>
        <translation>公示栏</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="501" />
        <source>Choose a village in the filter first: the board is one village's.</source>
        <translation>请先在筛选中选择一个村：公示栏按村公示。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="527" />
        <source>Filter by description or responsible person</source>
        <translation>按事项内容或责任人筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="528" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="529" />
        <location filename="../../lehe_desktop/gui/matters.py" line="530" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="533" />
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="534" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="535" />
        <source>Open only</source>
        <translation>仅未办结</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="536" />
        <source>Overdue only</source>
        <translation>仅逾期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="537" />
        <source>New matter</source>
        <translation>登记事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="537" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="538" />
        <source>Advance…</source>
        <translation>推进…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="538" />
        <source>Check-back…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="539" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="539" />
        <source>Public board…</source>
        <translation>公示栏…</translation>
    </message>
</context>
<context>
    <name>MeetingDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="433" />
        <source>Delete this meeting with its participants and agenda items? Matters and tasks raised from it are kept. It disappears from every list on this laptop and, after the next sync, on the others.</source>
        <translation>删除这次会议及其参会人员和议题？由议题转出的事项和任务会保留。删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="439" />
        <source>Edit meeting</source>
        <translation>编辑会议</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="439" />
        <source>New meeting</source>
        <translation>新建会议</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="440" />
        <source>Count from participants</source>
        <translation>按参会人员计数</translation>
    </message>
</context>
<context>
    <name>MeetingsPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/meetings.py" line="520" />
        <source>%n meeting(s)</source>
        <translation><numerusform>%n 次会议</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="532" />
        <location filename="../../lehe_desktop/gui/meetings.py" line="561" />
        <source>Print minutes…</source>
        <translation>打印会议纪要…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="532" />
        <source>Choose a meeting in the list first.</source>
        <translation>请先在列表中选择一次会议。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="552" />
        <source>Filter by title, venue, chair or topic</source>
        <translation>按名称、地点、主持人或议题筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="553" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="554" />
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="557" />
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="558" />
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="559" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="560" />
        <source>New meeting</source>
        <translation>新建会议</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="617" />
        <source>Edit member</source>
        <translation>编辑成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="617" />
        <source>New member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="618" />
        <source>Categories</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="619" />
        <source>Phones</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="620" />
        <source>Add phone</source>
        <translation>添加电话</translation>
    </message>
</context>
<context>
    <name>ParticipantRows</name>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="133" />
        <source>Participants</source>
        <translation>参会人员</translation>
    </message>
</context>
<context>
    <name>RaiseDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="260" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>RaiseMatterDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="279" />
        <source>Raise a matter from the agenda item</source>
        <translation>由议题登记事项</translation>
    </message>
</context>
<context>
    <name>RaiseTaskDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="290" />
        <source>Assign a task from the agenda item</source>
        <translation>由议题交办任务</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="222" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="249" />
        <source>Not saved: please correct the fields marked in red.</source>
        <translation>未保存：请修改标红的项目。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="257" />
        <source>Not saved: an unexpected error; the details are in the log.</source>
        <translation>未保存：发生意外错误，详情见日志。</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="110" />
        <source>%n result(s) for “%1”</source>
        <translation><numerusform>“%1”的搜索结果：%n 条</numerusform></translation>
    </message>
</context>
<context>
    <name>SyncProblemsDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="400" />
        <source>This record cannot be opened: it has been deleted or is not shown in this version. You can still keep one of the values.</source>
        <translation>无法打开这条记录：它已被删除，或本版本不显示这类记录。您仍然可以选择保留哪一个值。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="411" />
        <source>Sync problems</source>
        <translation>同步问题</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="350" />
        <source>Moved to %1: %2 record(s) will be sent again at the next sync.</source>
        <translation>已移到%1：%2 条记录将在下次同步时重新发送。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="359" />
        <source>Export refused changes</source>
        <translation>导出被拒绝的修改</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="360" />
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV 表格 (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="377" />
        <source>Refused changes exported to %1</source>
        <translation>被拒绝的修改已导出到 %1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="388" />
        <source>This did not work: %1</source>
        <translation>操作未成功：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="413" />
        <source>Conflicts: two people changed the same field without seeing each other's edit. Every copy shows the same value; keep it, or use the value that was overwritten. Refused changes: the server did not accept them (for example a village outside your areas); they stay on this laptop and count as not yet sent. A record in the wrong village can be moved to one of yours and sent again; otherwise ask your coordinator (Export… makes a file for them), then acknowledge them.</source>
        <translation>冲突：两个人在互不知情的情况下修改了同一项内容。所有电脑上显示的都是同一个值；可以保留它，也可以改用被覆盖的那个值。被拒绝的修改：服务器没有接收（例如村子不在您负责的范围内）；这些修改仍保存在这台电脑上，算作尚未上传。记录的村填错了，可以移到您负责的村并重新发送；否则请联系协调员（“导出…”可生成交给协调员的文件），再确认知悉。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="419" />
        <source>Conflicts (%1)</source>
        <translation>冲突（%1）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="420" />
        <source>Refused changes (%1)</source>
        <translation>被拒绝的修改（%1）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="421" />
        <source>Keep the value shown</source>
        <translation>保留现在显示的值</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="422" />
        <source>Use the overwritten value</source>
        <translation>改用被覆盖的值</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="423" />
        <source>Open record</source>
        <translation>打开记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="424" />
        <source>Acknowledge</source>
        <translation>确认知悉</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="425" />
        <source>Acknowledge all</source>
        <translation>全部确认</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="426" />
        <source>Move to my village and send again</source>
        <translation>移到我的村并重新发送</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="428" />
        <source>Moves the record (for a member or a visit: its household) to the village chosen on the left and sends it again whole, with everything that belongs to it.</source>
        <translation>把这条记录（成员或走访则是它所属的户）移到左边选择的村，并连同它下面的全部内容完整地重新发送。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="430" />
        <source>One of your villages</source>
        <translation>您负责的村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="431" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="432" />
        <source>Save every refused change as a file for your coordinator (CSV or JSON).</source>
        <translation>把所有被拒绝的修改保存为文件，交给协调员（CSV 或 JSON）。</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="133" />
        <source>Edit task</source>
        <translation>编辑督办任务</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="133" />
        <source>New task</source>
        <translation>新建督办任务</translation>
    </message>
</context>
<context>
    <name>TasksPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/tasks.py" line="236" />
        <source>%n task(s)</source>
        <translation><numerusform>%n 项督办任务</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="253" />
        <source>Tasks</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="253" />
        <source>Choose a task in the list first.</source>
        <translation>请先在列表中选择一项任务。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="313" />
        <source>Marked done.</source>
        <translation>已标记为完成。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="326" />
        <source>Note added.</source>
        <translation>已添加进展。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="342" />
        <source>Not saved: an unexpected error; the details are in the log.</source>
        <translation>未保存：发生意外错误，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="365" />
        <source>Filter by task, owner or organisation</source>
        <translation>按任务、责任人或单位筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="366" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="368" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="369" />
        <source>Open only</source>
        <translation>仅未办结</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="370" />
        <source>Overdue only</source>
        <translation>仅逾期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="371" />
        <source>New task</source>
        <translation>新建督办任务</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="371" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="371" />
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="372" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="374" />
        <source>Progress notes</source>
        <translation>进展记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="375" />
        <source>What happened (dated today)</source>
        <translation>进展情况（记为今天）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="376" />
        <source>Add note</source>
        <translation>添加进展</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="326" />
        <source>The two passphrases are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/unlock.py" line="371" />
        <source>You can try again in %n second(s).</source>
        <translation><numerusform>%n 秒后可以再试。</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="374" />
        <source>Lehe Desktop — unlock</source>
        <translation>乐和社工 — 解锁</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="375" />
        <source>Lehe Desktop</source>
        <translation>乐和社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="376" />
        <source>Enter your passphrase to open your records.</source>
        <translation>请输入密码打开您的记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="377" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="378" />
        <source>Forgot the passphrase? Use the recovery key</source>
        <translation>忘记密码？使用恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="379" />
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="379" />
        <source>New passphrase</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="380" />
        <source>Repeat passphrase</source>
        <translation>再次输入密码</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="368" />
        <source>Choose the household</source>
        <translation>请选择户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="386" />
        <source>Edit visit</source>
        <translation>编辑走访记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="386" />
        <source>New visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="388" />
        <source>Type the head's name to find the household</source>
        <translation>输入户主姓名查找户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="389" />
        <source>Members present</source>
        <translation>在场成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="390" />
        <source>Risk factors</source>
        <translation>风险因素</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/visits.py" line="476" />
        <source>%n visit(s)</source>
        <translation><numerusform>%n 条走访</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="491" />
        <location filename="../../lehe_desktop/gui/visits.py" line="522" />
        <source>Print visit…</source>
        <translation>打印走访记录…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="491" />
        <source>Choose a visit in the list first.</source>
        <translation>请先在列表中选择一条走访记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="510" />
        <source>Filter by household, purpose or situation</source>
        <translation>按户、目的或情况筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="511" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="512" />
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="513" />
        <source>Any risk</source>
        <translation>全部风险</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="516" />
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="517" />
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="518" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="519" />
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="520" />
        <source>Follow-up due</source>
        <translation>待跟进</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="521" />
        <source>New visit</source>
        <translation>记录走访</translation>
    </message>
</context>
<context>
    <name>_BundleDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="104" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="105" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>