<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ChildRows</name>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="204" />
        <source>Row %1: </source>
        <translation>第 %1 行：</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="210" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="211" />
        <source>Remove</source>
        <translation>删除</translation>
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
        <location filename="../../lehe_desktop/gui/dialogs.py" line="334" />
        <source>New village</source>
        <translation>新建村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="335" />
        <source>Village path, levels separated by /, e.g. 重庆市/巫溪县/白鹿镇/乐和村</source>
        <translation>村的完整路径，各级用 / 分隔，例如 重庆市/巫溪县/白鹿镇/乐和村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="367" />
        <source>Edit household</source>
        <translation>编辑户信息</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="367" />
        <source>New household</source>
        <translation>新建户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="368" />
        <source>New village…</source>
        <translation>新建村…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="369" />
        <source>Head's sex</source>
        <translation>户主性别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="371" />
        <source>Household categories</source>
        <translation>户类别</translation>
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
    <name>MainWindow</name>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="424" />
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="464" />
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="464" />
        <source>Sending changes…</source>
        <translation>正在上传修改…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="465" />
        <source>Receiving changes…</source>
        <translation>正在下载修改…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="476" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="505" />
        <source>Connected to the server; syncing…</source>
        <translation>已连接服务器，正在同步…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="552" />
        <source>Sync finished: sent %1, received %2, new conflicts %3, refused %4</source>
        <translation>同步完成：上传 %1 条，下载 %2 条，新冲突 %3 个，被拒绝 %4 条</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="549" />
        <source>Synced automatically at %1: sent %2, received %3</source>
        <translation>已自动同步（%1）：上传 %2 条，接收 %3 条</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="566" />
        <source>Sync failed unexpectedly; the details are in the log.</source>
        <translation>同步意外失败，详细信息已写入日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="569" />
        <source>Automatic sync did not work (%1); it will try again later.</source>
        <translation>自动同步未成功（%1），稍后会自动重试。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="572" />
        <source>Sync failed: %1</source>
        <translation>同步失败：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="579" />
        <source>Sync cancelled; what was already sent or received is kept.</source>
        <translation>同步已取消；已上传或下载的内容会保留。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="594" />
        <location filename="../../lehe_desktop/gui/main_window.py" line="718" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="597" />
        <source>Show sync problems</source>
        <translation>查看同步问题</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="666" />
        <source>%n change(s) not yet sent</source>
        <translation><numerusform>%n 条修改尚未上传</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="667" />
        <source>%n sync problem(s)</source>
        <translation><numerusform>%n 个同步问题</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="710" />
        <source>Lehe Desktop</source>
        <translation>乐和社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="711" />
        <source>Lehe social work</source>
        <translation>乐和社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="712" />
        <source>Home</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="712" />
        <source>Households</source>
        <translation>户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="712" />
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="712" />
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="713" />
        <source>Meetings</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="713" />
        <source>Matters</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="713" />
        <source>Tasks</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="716" />
        <source>Search names, places, notes (Ctrl+F)</source>
        <translation>搜索姓名、地点、记录内容（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="717" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="719" />
        <source>Sync automatically</source>
        <translation>自动同步</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="720" />
        <source>Connect to the server…</source>
        <translation>连接服务器…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="721" />
        <source>Sync problems…</source>
        <translation>同步问题…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="722" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="723" />
        <source>Lock now</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="724" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="725" />
        <source>&amp;Records</source>
        <translation>记录(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="726" />
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="727" />
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="728" />
        <source>&amp;Language / 语言</source>
        <translation>语言 / Language(&amp;L)</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="476" />
        <source>Edit member</source>
        <translation>编辑成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="476" />
        <source>New member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="477" />
        <source>Categories</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="478" />
        <source>Phones</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="479" />
        <source>Add phone</source>
        <translation>添加电话</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../lehe_desktop/gui/home.py" line="178" />
        <source>Coming soon.</source>
        <translation>即将推出。</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="219" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="246" />
        <source>Not saved: please correct the fields marked in red.</source>
        <translation>未保存：请修改标红的项目。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="254" />
        <source>Not saved: an unexpected error; the details are in the log.</source>
        <translation>未保存：发生意外错误，详情见日志。</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="107" />
        <source>%n result(s) for “%1”</source>
        <translation><numerusform>“%1”的搜索结果：%n 条</numerusform></translation>
    </message>
</context>
<context>
    <name>SyncProblemsDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="335" />
        <source>This record cannot be opened: it has been deleted or is not shown in this version. You can still keep one of the values.</source>
        <translation>无法打开这条记录：它已被删除，或本版本不显示这类记录。您仍然可以选择保留哪一个值。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="346" />
        <source>Sync problems</source>
        <translation>同步问题</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="348" />
        <source>Conflicts: two people changed the same field without seeing each other's edit. Every copy shows the same value; keep it, or use the value that was overwritten. Refused changes: the server did not accept them (for example a village outside your areas); they stay on this laptop. Ask your coordinator, then acknowledge them.</source>
        <translation>冲突：两个人在互不知情的情况下修改了同一项内容。所有电脑上显示的都是同一个值；可以保留它，也可以改用被覆盖的那个值。被拒绝的修改：服务器没有接收（例如村子不在您负责的范围内）；这些修改仍保存在这台电脑上。请先联系协调员，再确认知悉。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="352" />
        <source>Conflicts (%1)</source>
        <translation>冲突（%1）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="353" />
        <source>Refused changes (%1)</source>
        <translation>被拒绝的修改（%1）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="354" />
        <source>Keep the value shown</source>
        <translation>保留现在显示的值</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="355" />
        <source>Use the overwritten value</source>
        <translation>改用被覆盖的值</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="356" />
        <source>Open record</source>
        <translation>打开记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="357" />
        <source>Acknowledge</source>
        <translation>确认知悉</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/sync_problems.py" line="358" />
        <source>Acknowledge all</source>
        <translation>全部确认</translation>
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
        <location filename="../../lehe_desktop/gui/visits.py" line="366" />
        <source>Choose the household</source>
        <translation>请选择户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="384" />
        <source>Edit visit</source>
        <translation>编辑走访记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="384" />
        <source>New visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="386" />
        <source>Type the head's name to find the household</source>
        <translation>输入户主姓名查找户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="387" />
        <source>Members present</source>
        <translation>在场成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="388" />
        <source>Risk factors</source>
        <translation>风险因素</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/visits.py" line="470" />
        <source>%n visit(s)</source>
        <translation><numerusform>%n 条走访</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="495" />
        <source>Filter by household, purpose or situation</source>
        <translation>按户、目的或情况筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="496" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="497" />
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="498" />
        <source>Any risk</source>
        <translation>全部风险</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="501" />
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="502" />
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="503" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="504" />
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="505" />
        <source>Follow-up due</source>
        <translation>待跟进</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="506" />
        <source>New visit</source>
        <translation>记录走访</translation>
    </message>
</context>
</TS>