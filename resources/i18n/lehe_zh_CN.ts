<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActivitiesPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/activities.py" line="490" />
        <source>%n activity(ies)</source>
        <translation><numerusform>%n 场活动</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="506" />
        <source>Filter by title, series or venue</source>
        <translation>按名称、系列或地点筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="507" />
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="508" />
        <source>All series</source>
        <translation>全部系列</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="511" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="512" />
        <source>Series</source>
        <translation>系列</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="513" />
        <source>New activity</source>
        <translation>新建活动</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="443" />
        <source>Delete this activity with its sign-in list? It disappears from every list on this laptop and, after the next sync, on the others.</source>
        <translation>删除这场活动及其签到表？删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="448" />
        <source>Edit activity</source>
        <translation>编辑活动</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="448" />
        <source>New activity</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/activities.py" line="449" />
        <source>Target groups</source>
        <translation>目标人群</translation>
    </message>
</context>
<context>
    <name>AdvanceDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="299" />
        <source>Not saved: an unexpected error; the details are in the log.</source>
        <translation>未保存：发生意外错误，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="306" />
        <source>Advance the matter</source>
        <translation>推进事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="308" />
        <source>Now</source>
        <translation>当前状态</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="308" />
        <source>Move to</source>
        <translation>转为</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="308" />
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
    <name>AnonymiseDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="160" />
        <source>Anonymising…</source>
        <translation>正在匿名化…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="184" />
        <source>Anonymised on this laptop. The next sync takes it to the server and every other laptop.</source>
        <translation>已在本机完成匿名化。下次同步时会传到服务器和其他所有电脑。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="191" />
        <source>Anonymise this person</source>
        <translation>匿名化此人</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="192" />
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="193" />
        <source>Type “%1” to confirm</source>
        <translation>请输入“%1”以确认</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="194" />
        <source>Anonymise</source>
        <translation>匿名化</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="197" />
        <source>Anonymising %1 cannot be undone. Their name and personal fields (ID number, phones, health, disabilities, categories, notes) are scrubbed on this laptop: from their record, from the history of every change, from the search, and where other records name them (visit notes, attendance, consents). At the next sync the server and every other laptop do the same. Backups made before and copies already handed out are not reached.</source>
        <translation>匿名化%1无法撤销。此人的姓名和个人信息（身份证号、电话、健康、残疾、类别、备注）将在本机被清除：包括本人记录、每一次修改的历史、搜索索引，以及其他记录中提到此人的地方（走访情况、签到、知情同意）。下次同步时，服务器和其他所有电脑也会同样清除。此前做的备份和已经交出的副本无法清除。</translation>
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
    <name>AuditDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/audit_view.py" line="73" />
        <source>The audit log is intact: %1 entries.</source>
        <translation>审计日志完好：共 %1 条。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/audit_view.py" line="77" />
        <source>The audit log is broken at entry %1: it was changed, cut or rewritten. Tell your coordinator.</source>
        <translation>审计日志第 %1 条有问题：日志被改动、截断或重写。请告知督导。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/audit_view.py" line="91" />
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/audit_view.py" line="92" />
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/audit_view.py" line="92" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/audit_view.py" line="92" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/audit_view.py" line="93" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/audit_view.py" line="93" />
        <source>Records</source>
        <translation>记录</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="357" />
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="412" />
        <source>Back up to</source>
        <translation>备份到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="357" />
        <source>Lehe backups (*.lehe-backup)</source>
        <translation>乐和社工备份 (*.lehe-backup)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="360" />
        <source>Writing the backup…</source>
        <translation>正在写入备份…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="363" />
        <source>Choose where to write the backup.</source>
        <translation>请选择备份写到哪里。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="401" />
        <source>Backup written to %1 (%2): %3. Keep it somewhere other than this laptop, e.g. on a USB stick kept locked away.</source>
        <translation>备份已写入 %1（%2）：%3。请把它存放在这台电脑以外的地方，例如锁好的U盘。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="408" />
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="414" />
        <source>Back up</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="410" />
        <source>A backup is one encrypted file with all your records. It opens only with your passphrase or your recovery key, on this laptop or a new one. Type your passphrase to confirm it is you.</source>
        <translation>备份是一个加密文件，包含您的全部记录，只能用您的密码或恢复密钥打开（在这台电脑或新电脑上）。请输入密码，确认是您本人。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="413" />
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>BinDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bin_page.py" line="152" />
        <source>The bin is empty.</source>
        <translation>回收站是空的。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bin_page.py" line="158" />
        <source>The bin could not be read; the details are in the log.</source>
        <translation>无法读取回收站，详情见日志。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/bin_page.py" line="193" />
        <source>%n record(s) restored; they will be sent at the next sync.</source>
        <translation><numerusform>已恢复 %n 条记录，下次同步时上传。</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bin_page.py" line="203" />
        <source>Not restored: an unexpected error; the details are in the log.</source>
        <translation>未恢复：发生意外错误，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bin_page.py" line="208" />
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bin_page.py" line="215" />
        <source>Bin</source>
        <translation>回收站</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bin_page.py" line="217" />
        <source>Records deleted on this laptop or on others (after a sync). Restoring a record also brings back what was deleted with it — a household's members and visits, a visit's needs — and is sent to the server like any edit.</source>
        <translation>在这台电脑或（同步后）其他电脑上删除的记录。恢复一条记录时，和它一起删除的内容（户的成员和走访、走访记录的需求等）也一并恢复；恢复和其他修改一样会上传到服务器。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bin_page.py" line="220" />
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bin_page.py" line="221" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>BundleLogDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="277" />
        <source>in</source>
        <translation>已收到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="277" />
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="277" />
        <source>never</source>
        <translation>从未收到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="290" />
        <source>the server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="291" />
        <source>no receipt yet</source>
        <translation>尚无回执</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="292" />
        <source>sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="292" />
        <source>received</source>
        <translation>收到</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/bundles.py" line="293" />
        <source>%n change(s)</source>
        <translation><numerusform>%n 条修改</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="306" />
        <source>Sync bundles</source>
        <translation>同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="307" />
        <source>Workers' bundles (overdue after 14 days)</source>
        <translation>社工的同步包（超过 14 天算逾期）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="308" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="308" />
        <source>Worker</source>
        <translation>社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="308" />
        <source>Last bundle</source>
        <translation>最近一次同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="309" />
        <source>Areas</source>
        <translation>地区</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="310" />
        <source>Bundles sent and received</source>
        <translation>发出和收到的同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="311" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="311" />
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="311" />
        <source>Content / from</source>
        <translation>内容 / 来自</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="312" />
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="313" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CheckBackDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="343" />
        <source>Check-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="344" />
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
    <name>ConsentDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="65" />
        <source>Consent record</source>
        <translation>知情同意记录</translation>
    </message>
</context>
<context>
    <name>ConsentList</name>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="121" />
        <source>Whole household</source>
        <translation>整户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="153" />
        <source>Consent</source>
        <translation>知情同意</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="155" />
        <source>Who agreed to what, how and under which notice. A child under 14 needs a guardian's consent to sensitive information; a withdrawal ends a consent from that day on and keeps the record.</source>
        <translation>记录谁同意了什么、以何种方式、依据哪一版告知书。未满14周岁的儿童，其敏感信息需要监护人同意；撤回自撤回之日起生效，记录本身保留。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="157" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="157" />
        <source>Person</source>
        <translation>本人</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="157" />
        <source>Given by</source>
        <translation>同意人</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="158" />
        <source>Items</source>
        <translation>同意内容</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="158" />
        <source>Notice</source>
        <translation>告知书版本</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="158" />
        <source>Withdrawn</source>
        <translation>撤回日期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="159" />
        <source>New consent…</source>
        <translation>新建同意记录…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/consent.py" line="160" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="831" />
        <source>Save diagnostics as</source>
        <translation>诊断信息保存为</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="831" />
        <source>ZIP files (*.zip)</source>
        <translation>ZIP 文件 (*.zip)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="834" />
        <source>Gathering diagnostics…</source>
        <translation>正在收集诊断信息…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="837" />
        <source>Choose where to save the diagnostics.</source>
        <translation>请选择诊断信息保存到哪里。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="842" />
        <source>The file already exists and will not be overwritten: %1</source>
        <translation>文件已存在，不会覆盖：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="850" />
        <source>Diagnostics saved to %1. Send this file to your coordinator or support.</source>
        <translation>诊断信息已保存到 %1。请把这个文件发给协调员或技术支持。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="855" />
        <source>Export diagnostics</source>
        <translation>导出诊断信息</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="857" />
        <source>For a support request: the app and system versions, the database's structure and health, how many records of each kind there are, and the app's logs. No names, ID numbers, phone numbers, addresses or notes are included.</source>
        <translation>用于技术支持：程序和系统的版本、数据库的结构和完好情况、各类记录的数量，以及程序日志。不包含任何姓名、身份证号、电话、住址或备注。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="860" />
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="861" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>DraftOffer</name>
    <message>
        <location filename="../../lehe_desktop/gui/drafts.py" line="157" />
        <source>You have an unsaved %1 form from %2. Continue with it, or discard it?</source>
        <translation>您有一份未保存的%1表单（%2）。继续填写，还是放弃？</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/drafts.py" line="158" />
        <source>Unsaved form</source>
        <translation>未保存的表单</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/drafts.py" line="162" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/drafts.py" line="164" />
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
</context>
<context>
    <name>EditDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="425" />
        <source>This form has changes that are not saved. Save them?</source>
        <translation>表单有尚未保存的修改。要保存吗？</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="498" />
        <source>Delete this record? It disappears from every list on this laptop and, after the next sync, on the others.</source>
        <translation>删除这条记录？删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="509" />
        <location filename="../../lehe_desktop/gui/dialogs.py" line="562" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="543" />
        <source>Not deleted: an unexpected error; the details are in the log.</source>
        <translation>未删除：发生意外错误，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="550" />
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="555" />
        <source>Deleted by mistake? Records → Bin… brings it back.</source>
        <translation>误删了？可以在“记录 → 回收站…”中恢复。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="560" />
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
        <location filename="../../lehe_desktop/gui/enrol.py" line="149" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="116" />
        <source>The server address starts with http://: the data would cross the network unencrypted, so it was refused. Use the https:// address the admin gave.</source>
        <translation>服务器地址以 http:// 开头，数据会以明文在网络上传输，已拒绝：请使用管理员提供的 https:// 地址。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="123" />
        <source>Could not connect; the details are in the log.</source>
        <translation>无法连接，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="135" />
        <source>Connect to the server</source>
        <translation>连接服务器</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="137" />
        <source>Your admin gives you the server address and a one-time code. After connecting, this laptop sends and receives records for your villages whenever there is a network.</source>
        <translation>管理员会给您服务器地址和一次性注册码。连接后，只要有网络，这台电脑就会上传和接收您负责的村的记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="140" />
        <source>This laptop is connected to %1 as %2. Connecting again replaces that connection.</source>
        <translation>这台电脑已连接到 %1（用户：%2）。重新连接会替换现有的连接。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="143" />
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="144" />
        <source>One-time code</source>
        <translation>一次性注册码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/enrol.py" line="145" />
        <source>Connect</source>
        <translation>连接</translation>
    </message>
</context>
<context>
    <name>ExportBundleDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="116" />
        <location filename="../../lehe_desktop/gui/bundles.py" line="125" />
        <source>Export sync bundle</source>
        <translation>导出同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="117" />
        <source>Writes every change the server has not yet acknowledged to one file for a USB stick. Only the server and your coordinators can open it. The changes stay marked unsent until the receipt comes back.</source>
        <translation>把服务器还没有确认的所有修改写进一个文件，用 U 盘带走。只有服务器和您的协调员能打开它。回执带回来之前，这些修改仍算作未上传。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="120" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="125" />
        <source>Sync bundles (*.lehe)</source>
        <translation>同步包 (*.lehe)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="132" />
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/bundles.py" line="143" />
        <source>Exported %n change(s) to %1. The file was read back and checked: you may remove the stick.</source>
        <translation><numerusform>已导出 %n 条修改到 %1。文件已读回检查无误，可以拔出 U 盘。</numerusform></translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="648" />
        <source>Every record type, without names, ID numbers, phones and free text; ids replaced by pseudonyms, birth dates by the year. For reports.</source>
        <translation>所有记录类型，但去掉姓名、身份证号、电话和自由填写的文字；编号换成假名编号，出生日期只留年份。适合做报表。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="650" />
        <source>Only counts per village (counts of 1–4 shown as &lt;5). The safest to hand out.</source>
        <translation>只有按村统计的数量（1–4 显示为 &lt;5）。对外提供时最安全。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="651" />
        <source>Everything, with names and ID numbers — only inside a password-protected, AES-256 encrypted ZIP file. Give the password separately (by phone, not in the same message).</source>
        <translation>全部内容，含姓名和身份证号——只写入有密码保护的 AES-256 加密 ZIP 文件。密码请另行告知（例如打电话，不要和文件在同一条消息里发送）。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="658" />
        <source>Export into folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="663" />
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="667" />
        <source>Choose a folder for the export.</source>
        <translation>请选择导出到哪个文件夹。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="674" />
        <source>The archive password needs at least %1 characters.</source>
        <translation>压缩包密码至少需要 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="678" />
        <source>The two passwords are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="692" />
        <source>Export written to %1:</source>
        <translation>导出完成，已写入 %1：</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="694" />
        <source>Open it with 7-Zip (or WinRAR, Bandizip, PeaZip) and the password.</source>
        <translation>请用 7-Zip（或 WinRAR、Bandizip、PeaZip）和密码打开。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="699" />
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="715" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="700" />
        <source>De-identified records</source>
        <translation>去标识化的记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="700" />
        <source>Counts only (aggregate)</source>
        <translation>只导出统计数（汇总）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="701" />
        <source>Named records (encrypted ZIP)</source>
        <translation>实名记录（加密 ZIP）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="704" />
        <source>CSV (one file per record type)</source>
        <translation>CSV（每类记录一个文件）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="705" />
        <source>Excel workbook (.xlsx)</source>
        <translation>Excel 工作簿 (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="706" />
        <source>What</source>
        <translation>导出内容</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="707" />
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="708" />
        <source>Into folder</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="709" />
        <source>ZIP password</source>
        <translation>压缩包密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="710" />
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="712" />
        <source>Which programs open this file: the ZIP is encrypted with AES-256. Open it with 7-Zip (free), WinRAR, Bandizip or PeaZip, or on a Mac with Keka. Windows' built-in zip (double-clicking in Explorer) cannot open it and may say the file is damaged or the password is wrong — it is not.</source>
        <translation>用什么程序打开：这个 ZIP 文件用 AES-256 加密。请用 7-Zip（免费）、WinRAR、Bandizip 或 PeaZip 打开，苹果电脑可用 Keka。Windows 自带的压缩功能（在资源管理器里双击）打不开它，还可能提示文件损坏或密码错误——其实文件和密码都没有问题。</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <location filename="../../lehe_desktop/gui/file_menu.py" line="121" />
        <source>Hand over this laptop…</source>
        <translation>交接本机…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_menu.py" line="122" />
        <source>Back up…</source>
        <translation>备份…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_menu.py" line="123" />
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_menu.py" line="124" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_menu.py" line="125" />
        <source>Change passphrase…</source>
        <translation>修改密码…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_menu.py" line="126" />
        <source>Export diagnostics…</source>
        <translation>导出诊断信息…</translation>
    </message>
</context>
<context>
    <name>FileJobDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="202" />
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="223" />
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="222" />
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="231" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="85" />
        <source>Something went wrong unexpectedly; the details are in the log (Export diagnostics…).</source>
        <translation>出现意外错误；详情已写入日志（可用“导出诊断信息…”发给技术支持）。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="92" />
        <source>This laptop is not connected to the server yet (or has not yet received its list of devices): connect with File → Connect to the server…, then choose Sync now once.</source>
        <translation>本机尚未连接服务器（或还没有收到服务器的设备名单）：请先用“文件 → 连接服务器…”连接，再“立即同步”一次。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="263" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="263" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="278" />
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="296" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="294" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="130" />
        <source>Very weak</source>
        <translation>很弱</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="130" />
        <source>Weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="130" />
        <source>Fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="130" />
        <source>Good</source>
        <translation>较强</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="130" />
        <source>Strong</source>
        <translation>强</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="142" />
        <source>The two passphrases are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="147" />
        <source>Creating the encrypted database…</source>
        <translation>正在创建加密数据库…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="175" />
        <source>Setting up failed: an unexpected error; the details are in the log.</source>
        <translation>设置失败：发生意外错误，详情已写入日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="226" />
        <source>Lehe Desktop recovery key</source>
        <translation>乐和社工 恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="241" />
        <source>Lehe Desktop — first run</source>
        <translation>乐和社工 — 初始设置</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="243" />
        <source>Welcome. Your records are stored encrypted on this laptop. Choose a passphrase that only you know; you will type it every time you open the app.</source>
        <translation>欢迎使用。您的记录加密保存在这台电脑上。请设置一个只有您知道的密码，每次打开程序时都需要输入。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="245" />
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="246" />
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="247" />
        <source>Repeat passphrase</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="248" />
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="249" />
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="251" />
        <source>This is your recovery key. It is shown only once. If you forget the passphrase, only this key can open your records. Write it down or print it and keep it somewhere safe.</source>
        <translation>这是您的恢复密钥，只显示这一次。忘记密码时，只有它能打开您的记录。请抄写或打印，并妥善保管。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="253" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="254" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="255" />
        <source>I have written it down / printed it</source>
        <translation>我已抄写或打印了恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="256" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="70" />
        <source>Checking the passphrase…</source>
        <translation>正在核对密码…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="81" />
        <source>Hand over this laptop</source>
        <translation>交接本机</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="82" />
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="83" />
        <source>I understand: every record, backup and setting on this laptop is erased.</source>
        <translation>我已明白：本机上的全部记录、备份和设置都将被删除。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="84" />
        <source>Erase and hand over</source>
        <translation>删除并交接</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="85" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="88" />
        <source>Checking whether everything has reached the server…</source>
        <translation>正在检查是否全部数据都已到达服务器…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="91" />
        <source>This laptop cannot be handed over yet: %1 change(s) are not sent and %2 refused change(s) are not dealt with. Sync (File → Sync now) and deal with the refused changes first, or that work would be lost.</source>
        <translation>本机暂时不能交接：还有 %1 条更改未发送、%2 条被拒收的更改未处理。请先同步（文件 → 立即同步）并处理被拒收的更改，否则这些工作将会丢失。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/handover_dialog.py" line="98" />
        <source>Everything on this laptop has reached the server. Handing over signs the worker out and erases this laptop's records, local backups and settings; the key file goes first, so nothing left on the disk can be read. The next start is a first run. The logs (no personal data) stay.</source>
        <translation>本机的全部数据都已到达服务器。交接将注销本机的社工，并删除本机的记录、本地备份和设置；密钥文件最先删除，磁盘上残留的内容无法再被读取。下次启动为首次使用。日志（不含个人信息）会保留。</translation>
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
        <location filename="../../lehe_desktop/gui/dialogs.py" line="604" />
        <source>New village</source>
        <translation>新建村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="605" />
        <source>Village path, levels separated by /, e.g. 重庆市/巫溪县/白鹿镇/乐和村</source>
        <translation>村的完整路径，各级用 / 分隔，例如 重庆市/巫溪县/白鹿镇/乐和村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="645" />
        <source>Edit household</source>
        <translation>编辑户信息</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="645" />
        <source>New household</source>
        <translation>新建户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="646" />
        <source>New village…</source>
        <translation>新建村…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="647" />
        <source>Head's sex</source>
        <translation>户主性别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="649" />
        <source>Household categories</source>
        <translation>户类别</translation>
    </message>
</context>
<context>
    <name>HouseholdLinks</name>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="186" />
        <source>Households concerned</source>
        <translation>关联户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="187" />
        <source>Type the head's name to find the household</source>
        <translation>输入户主姓名查找户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="188" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>HouseholdList</name>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="174" />
        <location filename="../../lehe_desktop/gui/households.py" line="192" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/households.py" line="181" />
        <source>%n household(s)</source>
        <translation><numerusform>%n 户</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="189" />
        <source>Filter by name, group or address</source>
        <translation>按姓名、小组或地址筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="190" />
        <source>New household</source>
        <translation>新建户</translation>
    </message>
</context>
<context>
    <name>HouseholdProfile</name>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="405" />
        <source>Nothing recorded for this household yet.</source>
        <translation>这户还没有记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="310" />
        <location filename="../../lehe_desktop/gui/households.py" line="477" />
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="310" />
        <location filename="../../lehe_desktop/gui/households.py" line="477" />
        <source>Reveal</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="472" />
        <source>← Back</source>
        <translation>← 返回</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="473" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="474" />
        <source>Consent…</source>
        <translation>知情同意…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="475" />
        <source>New visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="476" />
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="478" />
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="480" />
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="482" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="482" />
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="482" />
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="482" />
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="482" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="483" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="483" />
        <source>Categories</source>
        <translation>类别</translation>
    </message>
</context>
<context>
    <name>ImportBundleDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="162" />
        <location filename="../../lehe_desktop/gui/bundles.py" line="172" />
        <source>Import sync bundle</source>
        <translation>导入同步包</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="163" />
        <source>Choose a sync bundle (.lehe) from the server or from a worker. It is checked whole first; nothing changes until you apply it.</source>
        <translation>选择服务器或社工给的同步包（.lehe）。先整体检查，点“导入”之前什么都不会改动。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="165" />
        <source>Apply</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="173" />
        <source>Sync bundles (*.lehe)</source>
        <translation>同步包 (*.lehe)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="187" />
        <source>Checking the bundle…</source>
        <translation>正在检查同步包…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="202" />
        <source>the server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="203" />
        <source>From: %1</source>
        <translation>来自：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="204" />
        <source>Exported: %1</source>
        <translation>导出时间：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/bundles.py" line="205" />
        <source>Changes: %n</source>
        <translation><numerusform>修改：%n 条</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="207" />
        <source>Edited between %1 and %2</source>
        <translation>修改时间：%1 至 %2</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="219" />
        <source>Applying…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="229" />
        <source>Applied: %1 new, %2 already here, %3 waiting for their record, %4 refused, %5 new conflicts.
Receipt for the sender: %6</source>
        <translation>已导入：新增 %1 条，已有 %2 条，等待所属记录 %3 条，拒收 %4 条，新冲突 %5 个。
给发送方的回执：%6</translation>
    </message>
</context>
<context>
    <name>ListPage</name>
    <message>
        <location filename="../../lehe_desktop/gui/list_page.py" line="158" />
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/list_page.py" line="160" />
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/list_page.py" line="160" />
        <source>To</source>
        <translation>到</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="521" />
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="561" />
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="561" />
        <source>Sending changes…</source>
        <translation>正在上传修改…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="562" />
        <source>Receiving changes…</source>
        <translation>正在下载修改…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="573" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="603" />
        <source>Connected to the server; syncing…</source>
        <translation>已连接服务器，正在同步…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="650" />
        <source>Sync finished: sent %1, received %2, new conflicts %3, refused %4</source>
        <translation>同步完成：上传 %1 条，下载 %2 条，新冲突 %3 个，被拒绝 %4 条</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="647" />
        <source>Synced automatically at %1: sent %2, received %3</source>
        <translation>已自动同步（%1）：上传 %2 条，接收 %3 条</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="664" />
        <source>Sync failed unexpectedly; the details are in the log.</source>
        <translation>同步意外失败，详细信息已写入日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="667" />
        <source>Automatic sync did not work (%1); it will try again later.</source>
        <translation>自动同步未成功（%1），稍后会自动重试。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="670" />
        <source>Sync failed: %1</source>
        <translation>同步失败：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="677" />
        <source>Sync cancelled; what was already sent or received is kept.</source>
        <translation>同步已取消；已上传或下载的内容会保留。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="692" />
        <location filename="../../lehe_desktop/gui/main_window.py" line="874" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="695" />
        <source>Show sync problems</source>
        <translation>查看同步问题</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="822" />
        <source>%n change(s) not yet sent</source>
        <translation><numerusform>%n 条修改尚未上传</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="823" />
        <source>%n sync problem(s)</source>
        <translation><numerusform>%n 个同步问题</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="866" />
        <source>Lehe Desktop</source>
        <translation>乐和社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="867" />
        <source>Lehe social work</source>
        <translation>乐和社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="868" />
        <source>Home</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="868" />
        <source>Households</source>
        <translation>户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="868" />
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="868" />
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="869" />
        <source>Meetings</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="869" />
        <source>Matters</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="869" />
        <source>Tasks</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="872" />
        <source>Search names, places, notes (Ctrl+F)</source>
        <translation>搜索姓名、地点、记录内容（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="873" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="875" />
        <source>Sync automatically</source>
        <translation>自动同步</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="876" />
        <source>Connect to the server…</source>
        <translation>连接服务器…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="877" />
        <source>Sync problems…</source>
        <translation>同步问题…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="878" />
        <source>Import roster…</source>
        <translation>导入花名册…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="879" />
        <source>Bin…</source>
        <translation>回收站…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="880" />
        <source>Export sync bundle…</source>
        <translation>导出同步包…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="881" />
        <source>Import sync bundle…</source>
        <translation>导入同步包…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="882" />
        <source>Sync bundles sent and received…</source>
        <translation>同步包记录…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="883" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="884" />
        <source>Lock now</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="886" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="887" />
        <source>&amp;Records</source>
        <translation>记录(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="888" />
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="889" />
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="891" />
        <source>Audit log…</source>
        <translation>审计日志…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/main_window.py" line="892" />
        <source>&amp;Language / 语言</source>
        <translation>语言 / Language(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/drafts.py" line="97" />
        <source>Unsaved form</source>
        <translation>未保存的表单</translation>
    </message>
</context>
<context>
    <name>MatterDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="231" />
        <source>Edit matter</source>
        <translation>编辑事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="231" />
        <source>New matter</source>
        <translation>登记事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="232" />
        <source>The status changes with “Advance…”; the check-back with “Check-back…”.</source>
        <translation>状态请用“推进…”更改，回访满意度请用“回访…”记录。</translation>
    </message>
</context>
<context>
    <name>MattersPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/matters.py" line="399" />
        <source>%n matter(s)</source>
        <translation><numerusform>%n 项事项</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="402" />
        <location filename="../../lehe_desktop/gui/matters.py" line="467" />
        <source>Matters</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="402" />
        <source>Choose a matter in the list first.</source>
        <translation>请先在列表中选择一个事项。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="439" />
        <source>Check-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="440" />
        <source>Only a resolved matter can have its satisfaction checked.</source>
        <translation>只有已办结的事项才能回访满意度。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="458" />
        <source>Public board</source>
        <translation>公示栏</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="459" />
        <source>Choose a village in the filter first: the board is one village's.</source>
        <translation>请先在筛选中选择一个村：公示栏按村公示。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="485" />
        <source>Filter by description or responsible person</source>
        <translation>按事项内容或责任人筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="486" />
        <location filename="../../lehe_desktop/gui/matters.py" line="487" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="490" />
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="491" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="492" />
        <source>Open only</source>
        <translation>仅未办结</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="493" />
        <source>Overdue only</source>
        <translation>仅逾期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="494" />
        <source>New matter</source>
        <translation>登记事项</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="494" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="495" />
        <source>Advance…</source>
        <translation>推进…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="495" />
        <source>Check-back…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="496" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/matters.py" line="496" />
        <source>Public board…</source>
        <translation>公示栏…</translation>
    </message>
</context>
<context>
    <name>MeetingDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="444" />
        <source>Delete this meeting with its participants and agenda items? Matters and tasks raised from it are kept. It disappears from every list on this laptop and, after the next sync, on the others.</source>
        <translation>删除这次会议及其参会人员和议题？由议题转出的事项和任务会保留。删除后本机的各个列表中不再显示，下次同步后其他电脑上也会删除。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="450" />
        <source>Edit meeting</source>
        <translation>编辑会议</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="450" />
        <source>New meeting</source>
        <translation>新建会议</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="451" />
        <source>Count from participants</source>
        <translation>按参会人员计数</translation>
    </message>
</context>
<context>
    <name>MeetingsPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/meetings.py" line="486" />
        <source>%n meeting(s)</source>
        <translation><numerusform>%n 次会议</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="495" />
        <location filename="../../lehe_desktop/gui/meetings.py" line="520" />
        <source>Print minutes…</source>
        <translation>打印会议纪要…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="495" />
        <source>Choose a meeting in the list first.</source>
        <translation>请先在列表中选择一次会议。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="515" />
        <source>Filter by title, venue, chair or topic</source>
        <translation>按名称、地点、主持人或议题筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="516" />
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="518" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/meetings.py" line="519" />
        <source>New meeting</source>
        <translation>新建会议</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="770" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="835" />
        <source>Edit member</source>
        <translation>编辑成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="835" />
        <source>New member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="836" />
        <source>Categories</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="837" />
        <source>Phones</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="838" />
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
    <name>PassphraseDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="754" />
        <source>Changing the passphrase…</source>
        <translation>正在修改密码…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="758" />
        <source>Enter the current passphrase first.</source>
        <translation>请先输入当前密码。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="768" />
        <source>The two passphrases are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="771" />
        <source>The new passphrase is the same as the current one.</source>
        <translation>新密码与当前密码相同。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="776" />
        <source>Click “Change” again to use it anyway.</source>
        <translation>仍要使用这个密码，请再点一次“修改”。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="785" />
        <source>Passphrase changed. Use the new one from now on; the recovery key stays the same.</source>
        <translation>密码已修改。从现在起请使用新密码；恢复密钥不变。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="796" />
        <source>Change passphrase</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="798" />
        <source>The new passphrase opens your records from now on. Your records are not re-encrypted, so this is quick; backups made before still open with this laptop's key.</source>
        <translation>从现在起用新密码打开您的记录。记录不需要重新加密，所以很快；以前的备份仍可用本机密钥打开。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="800" />
        <source>Current passphrase</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="801" />
        <source>New passphrase</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="802" />
        <source>Repeat passphrase</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="803" />
        <source>Change</source>
        <translation>修改</translation>
    </message>
</context>
<context>
    <name>PersonCopyDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="95" />
        <source>Save the copy as</source>
        <translation>副本另存为</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="95" />
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="98" />
        <source>Writing the copy…</source>
        <translation>正在写入副本…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="101" />
        <source>Choose where to write the copy.</source>
        <translation>请选择副本的保存位置。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="109" />
        <source>Written: %1
Review it before you hand it over; the export is in the audit log.</source>
        <translation>已写入：%1
交给本人之前请先核对；本次导出已记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="115" />
        <source>Export this person's data</source>
        <translation>导出此人信息</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="116" />
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="117" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="119" />
        <source>A copy of everything this laptop holds about %1 — their record, their household's address, phones, disabilities, categories, consents and the records that name them — as one file, for them (the right of access). It holds their full, unmasked data: review it before you hand it over and keep the file safe. The export is entered in the audit log.</source>
        <translation>把本机保存的关于%1的全部信息——本人记录、所在户的地址、电话、残疾、类别、知情同意以及提到此人的记录——导出为一个文件，交给本人（查阅复制权）。文件含有完整、未遮盖的个人信息：交出之前请先核对，并妥善保管文件。本次导出会记入审计日志。</translation>
    </message>
</context>
<context>
    <name>PersonRights</name>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="252" />
        <source>Select a member in the list first.</source>
        <translation>请先在列表中选择一位成员。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="272" />
        <source>Export this person's data…</source>
        <translation>导出此人信息…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/rights.py" line="273" />
        <source>Anonymise this person…</source>
        <translation>匿名化此人…</translation>
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
        <location filename="../../lehe_desktop/gui/dialogs.py" line="246" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="277" />
        <source>Not saved: please correct the fields marked in red.</source>
        <translation>未保存：请修改标红的项目。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/dialogs.py" line="285" />
        <source>Not saved: an unexpected error; the details are in the log.</source>
        <translation>未保存：发生意外错误，详情见日志。</translation>
    </message>
</context>
<context>
    <name>RecordTable</name>
    <message>
        <location filename="../../lehe_desktop/gui/households.py" line="104" />
        <source>Nothing here yet, or nothing matches the filters above. Ctrl+N adds a new one.</source>
        <translation>这里还没有记录，或没有符合上面筛选条件的记录。按 Ctrl+N 新建。</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="489" />
        <source>Restore from</source>
        <translation>从以下文件恢复</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="490" />
        <source>Lehe backups (*.lehe-backup);;All files (*)</source>
        <translation>乐和社工备份 (*.lehe-backup);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="495" />
        <source>Reading the backup…</source>
        <translation>正在读取备份…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="501" />
        <source>Choose a backup file (.lehe-backup).</source>
        <translation>请选择一个备份文件（.lehe-backup）。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="528" />
        <source>File: %1 (%2)</source>
        <translation>文件：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="529" />
        <source>Made: %1 (the file's date; this backup does not say)</source>
        <translation>备份时间：%1（文件日期；这个备份没有记录时间）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="530" />
        <source>Made: %1</source>
        <translation>备份时间：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="531" />
        <source>By app version: %1</source>
        <translation>程序版本：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="531" />
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="532" />
        <source>From: this laptop</source>
        <translation>来自：本机</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="533" />
        <source>From: another installation (%1)</source>
        <translation>来自：另一台电脑或另一次安装（%1）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="534" />
        <source>Latest change in it: %1</source>
        <translation>其中最新的修改：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="548" />
        <source>Restoring replaces everything on this laptop with this backup. What was entered after %1 and not yet synced is lost. A copy of today's data is kept first among the automatic backups.</source>
        <translation>恢复会用这个备份替换本机上的全部数据。%1 之后录入且尚未同步的内容将会丢失。替换之前，现在的数据会先保存一份到自动备份中。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="569" />
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="571" />
        <source>Choose a backup file. Nothing is replaced yet: first you see what the backup holds and when it was made, and then decide.</source>
        <translation>请选择备份文件。此时还不会替换任何数据：先显示备份里有什么、何时备份的，再由您决定。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="573" />
        <source>Backup file</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="574" />
        <source>Passphrase</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="575" />
        <source>Read the backup</source>
        <translation>读取备份</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="576" />
        <source>Replace my data with this backup</source>
        <translation>用这个备份替换我的数据</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="577" />
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="577" />
        <source>In the backup</source>
        <translation>备份中</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="577" />
        <source>On this laptop now</source>
        <translation>本机现有</translation>
    </message>
</context>
<context>
    <name>RestoreNewDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="57" />
        <source>Something went wrong unexpectedly; the details are in the log.</source>
        <translation>发生意外错误，详情已写入日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="153" />
        <location filename="../../lehe_desktop/gui/restore_new.py" line="252" />
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="154" />
        <source>Lehe backups (*.lehe-backup);;All files (*)</source>
        <translation>乐和社工备份 (*.lehe-backup);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="171" />
        <source>Choose a backup file (.lehe-backup).</source>
        <translation>请选择一个备份文件（.lehe-backup）。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="194" />
        <source>Reading the backup…</source>
        <translation>正在读取备份…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="205" />
        <source>File: %1 (%2)</source>
        <translation>文件：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="206" />
        <source>Made: %1</source>
        <translation>备份时间：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="207" />
        <source>By app version: %1</source>
        <translation>程序版本：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="207" />
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="208" />
        <source>Worker: %1</source>
        <translation>社工：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="209" />
        <source>Latest change in it: %1</source>
        <translation>其中最新的修改：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="212" />
        <source>Choose a new passphrase for this laptop. The backup's recovery key keeps working.</source>
        <translation>请为这台电脑设置新密码。备份原来的恢复密钥仍然有效。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="222" />
        <source>The two passphrases are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="242" />
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="246" />
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="247" />
        <source>The backup's passphrase</source>
        <translation>备份时的密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="254" />
        <source>Bring your records to this laptop from a backup file. It opens with the passphrase it was made under, or with the recovery key. Nothing is written until you have seen what it holds.</source>
        <translation>从备份文件把您的记录恢复到这台电脑。需要做备份时的密码，或恢复密钥。看过备份的内容之前，不会写入任何东西。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="256" />
        <source>Backup file</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="257" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="258" />
        <source>I use the recovery key instead</source>
        <translation>改用恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="260" />
        <source>Read the backup</source>
        <translation>读取备份</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="261" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="262" />
        <source>New passphrase</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="263" />
        <source>Repeat passphrase</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="264" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/restore_new.py" line="265" />
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
</context>
<context>
    <name>RosterImportDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="254" />
        <source>Choose a roster</source>
        <translation>选择花名册</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="254" />
        <source>Rosters (*.xlsx *.csv);;All files (*)</source>
        <translation>花名册 (*.xlsx *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="273" />
        <source>Reading and checking the roster…</source>
        <translation>正在读取并检查花名册…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="278" />
        <source>Checking cancelled; nothing was written.</source>
        <translation>已取消检查，没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="285" />
        <source>Header (line %1): </source>
        <translation>表头（第 %1 行）：</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="290" />
        <source>Nothing has been written yet. Import writes the rows marked “will be imported”; rows with errors are left out.</source>
        <translation>尚未写入任何内容。点“导入”将写入标为“将导入”的行；有错误的行不导入。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="293" />
        <source>There is nothing new to import.</source>
        <translation>没有需要导入的新内容。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="300" />
        <source>%1 rows: %2 will be imported (%3 new households), %4 already present, %5 with errors (not imported), %6 with warnings</source>
        <translation>共 %1 行：将导入 %2 人（新增 %3 户），已存在 %4 人，有错误 %5 行（不导入），有提醒 %6 行</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="310" />
        <source>No problems.</source>
        <translation>没有问题。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="311" />
        <source>Line %1: </source>
        <translation>第 %1 行：</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="321" />
        <source>The roster could not be checked: an unexpected error; the details are in the log.</source>
        <translation>无法检查花名册：发生意外错误，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="341" />
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="347" />
        <source>Import cancelled: nothing was written.</source>
        <translation>已取消导入，没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="350" />
        <source>Imported %1 residents (%2 new households); %3 already present; %4 rows with errors were not imported.</source>
        <translation>已导入 %1 人（新增 %2 户）；已存在 %3 人；有错误的 %4 行未导入。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="365" />
        <source>an unexpected error; the details are in the log</source>
        <translation>发生意外错误，详情见日志</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="366" />
        <source>Not imported (nothing was written): %1</source>
        <translation>未导入（没有写入任何内容）：%1</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="412" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="432" />
        <source>Import roster</source>
        <translation>导入花名册</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="434" />
        <source>A roster (花名册) in Excel (.xlsx) or CSV: one row per person, with the columns 村, 组, 户主姓名, 姓名 and 与户主关系 (地址, 性别, 出生日期, 身份证号, 电话 and 类别 if you have them). Every row is checked and shown below before anything is written.</source>
        <translation>花名册可以是 Excel（.xlsx）或 CSV 文件：每人一行，须有 村、组、户主姓名、姓名、与户主关系 这几列（有 地址、性别、出生日期、身份证号、电话、类别 更好）。写入之前，每一行都会先检查并显示在下面。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="438" />
        <source>No file chosen</source>
        <translation>尚未选择文件</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="439" />
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="440" />
        <source>Only rows with problems</source>
        <translation>只看有问题的行</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="441" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="442" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/roster_import.py" line="443" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/main_window.py" line="116" />
        <source>%n result(s) for “%1”</source>
        <translation><numerusform>“%1”的搜索结果：%n 条</numerusform></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../lehe_desktop/gui/app.py" line="213" />
        <source>Restored from the backup %1; this is its data now.</source>
        <translation>已从备份 %1 恢复；现在显示的是备份中的数据。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/app.py" line="217" />
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/app.py" line="218" />
        <source>The backup was not restored; your data is as it was.</source>
        <translation>未恢复备份；您的数据保持原样。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/app.py" line="259" />
        <source>Hand over this laptop</source>
        <translation>交接本机</translation>
    </message>
</context>
<context>
    <name>StrengthMeter</name>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="142" />
        <source>Very weak</source>
        <translation>很弱</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="142" />
        <source>Weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="142" />
        <source>Fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="142" />
        <source>Good</source>
        <translation>较强</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/file_dialogs.py" line="142" />
        <source>Strong</source>
        <translation>强</translation>
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
        <location filename="../../lehe_desktop/gui/tasks.py" line="139" />
        <source>Edit task</source>
        <translation>编辑督办任务</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="139" />
        <source>New task</source>
        <translation>新建督办任务</translation>
    </message>
</context>
<context>
    <name>TasksPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/tasks.py" line="202" />
        <source>%n task(s)</source>
        <translation><numerusform>%n 项督办任务</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="213" />
        <source>Tasks</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="213" />
        <source>Choose a task in the list first.</source>
        <translation>请先在列表中选择一项任务。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="270" />
        <source>Marked done.</source>
        <translation>已标记为完成。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="283" />
        <source>Note added.</source>
        <translation>已添加进展。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="299" />
        <source>Not saved: an unexpected error; the details are in the log.</source>
        <translation>未保存：发生意外错误，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="322" />
        <source>Filter by task, owner or organisation</source>
        <translation>按任务、责任人或单位筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="323" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="325" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="326" />
        <source>Open only</source>
        <translation>仅未办结</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="327" />
        <source>Overdue only</source>
        <translation>仅逾期</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="328" />
        <source>New task</source>
        <translation>新建督办任务</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="328" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="328" />
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="329" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="331" />
        <source>Progress notes</source>
        <translation>进展记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="332" />
        <source>What happened (dated today)</source>
        <translation>进展情况（记为今天）</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/tasks.py" line="333" />
        <source>Add note</source>
        <translation>添加进展</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="347" />
        <source>The two passphrases are different.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="374" />
        <source>The records could not be opened: an unexpected error; the details are in the log.</source>
        <translation>无法打开记录：发生意外错误，详情已写入日志。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/unlock.py" line="394" />
        <source>You can try again in %n second(s).</source>
        <translation><numerusform>%n 秒后可以再试。</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="397" />
        <source>Lehe Desktop — unlock</source>
        <translation>乐和社工 — 解锁</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="398" />
        <source>Lehe Desktop</source>
        <translation>乐和社工</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="399" />
        <source>Enter your passphrase to open your records.</source>
        <translation>请输入密码打开您的记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="400" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="401" />
        <source>Forgot the passphrase? Use the recovery key</source>
        <translation>忘记密码？使用恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="402" />
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="402" />
        <source>New passphrase</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/unlock.py" line="403" />
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
        <location filename="../../lehe_desktop/gui/visits.py" line="404" />
        <source>Edit visit</source>
        <translation>编辑走访记录</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="404" />
        <source>New visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="406" />
        <source>Type the head's name to find the household</source>
        <translation>输入户主姓名查找户</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="407" />
        <source>Members present</source>
        <translation>在场成员</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="408" />
        <source>Risk factors</source>
        <translation>风险因素</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message numerus="yes">
        <location filename="../../lehe_desktop/gui/visits.py" line="448" />
        <source>%n visit(s)</source>
        <translation><numerusform>%n 条走访</numerusform></translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="460" />
        <location filename="../../lehe_desktop/gui/visits.py" line="488" />
        <source>Print visit…</source>
        <translation>打印走访记录…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="460" />
        <source>Choose a visit in the list first.</source>
        <translation>请先在列表中选择一条走访记录。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="479" />
        <source>Filter by household, purpose or situation</source>
        <translation>按户、目的或情况筛选</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="480" />
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="481" />
        <source>Any risk</source>
        <translation>全部风险</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="484" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="485" />
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="486" />
        <source>Follow-up due</source>
        <translation>待跟进</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/visits.py" line="487" />
        <source>New visit</source>
        <translation>记录走访</translation>
    </message>
</context>
<context>
    <name>VocabDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="172" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="172" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="207" />
        <source>Enter a code and a Chinese label.</source>
        <translation>请填写代码和中文名称。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="210" />
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="216" />
        <source>Select a category and enter its new Chinese label.</source>
        <translation>请先选择一个类别，并填写新的中文名称。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="220" />
        <source>Renamed %1.</source>
        <translation>已改名 %1。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="227" />
        <source>%1 is offered in forms again.</source>
        <translation>%1 已重新启用，表单中可以选择。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="228" />
        <source>%1 is no longer offered in forms; records that use it keep its label.</source>
        <translation>%1 已停用，表单中不再提供；已使用它的记录仍显示原名称。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="258" />
        <source>That did not work; the details are in the log.</source>
        <translation>操作没有成功，详情见日志。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="271" />
        <source>Activate</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="272" />
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="276" />
        <source>Manage categories</source>
        <translation>类别管理</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="277" />
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="278" />
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="280" />
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="278" />
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="278" />
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="279" />
        <source>Offered</source>
        <translation>表单中提供</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="281" />
        <source>Chinese label</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="282" />
        <source>English label</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="283" />
        <source>lower-case letters, digits, _</source>
        <translation>小写字母、数字或下划线</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="284" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="285" />
        <source>Rename</source>
        <translation>改名</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="286" />
        <source>Codes are never deleted: a deactivated code is no longer offered in forms, and records that use it keep its label. Changes reach every laptop by sync.</source>
        <translation>代码不会被删除：停用的代码不再出现在表单中，已使用它的记录仍显示原名称。修改会通过同步到达每台电脑。</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="289" />
        <source>Only coordinators and administrators may change categories.</source>
        <translation>只有协调员和管理员可以修改类别。</translation>
    </message>
</context>
<context>
    <name>VocabMenuEntry</name>
    <message>
        <location filename="../../lehe_desktop/gui/vocab_page.py" line="347" />
        <source>Categories…</source>
        <translation>类别管理…</translation>
    </message>
</context>
<context>
    <name>_BundleDialog</name>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="100" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lehe_desktop/gui/bundles.py" line="101" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>