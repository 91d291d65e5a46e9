"""Seed data for the controlled vocabularies (受控词表).

Every enum field in the record types is backed by an editable, bilingual vocabulary
stored in the database (code, zh, en, active, order). This module is the seed that
the database migration loads; after that the table is the source of truth and users
may rename, reorder or deactivate items. Codes, once shipped, are stable keys: never
reuse or rename one, add a new code and deactivate the old item instead.

Sources: ../shared/reference/domain.md §1.3, §1.5, §2.1, §4.1–4.6, §6.1–6.3,
§7.1–7.5. Where domain.md gives a code, it is used as is (V1, V8, V11, §1.3). GB
standard vocabularies use the standard's numeric codes as strings (sex GB/T 2261.1,
relation to head GB/T 4761-2008, marital status GB/T 2261.2, disability category
and grade as coded in the 残疾人证 number, GB/T 26341-2010). English labels follow
domain.md's translations, in sentence case; Chinese glosses and source tags inside
domain.md's English text are dropped.

``DQ_CODES`` are data-quality answers (不知道 / 拒绝回答 / 未采集) that are valid for
any vocabulary field, so no vocabulary may define those codes itself. Items that
only repeat a DQ answer are left out (e.g. id_type 未采集 is the DQ ``not_collected``).
"""

VocabItem = tuple[str, str, str]  # (code, zh, en); order = position in list; all active

DQ_CODES: tuple[str, ...] = ("unknown", "refused", "not_collected")

VOCAB_TITLES: dict[str, tuple[str, str]] = {
    # cross-cutting
    "dq": ("数据质量", "Data quality"),
    "area_level": ("行政区划层级", "Administrative level"),
    # person and household (§4.1, §4.2)
    "sex": ("性别", "Sex"),
    "relation_to_head": ("与户主关系", "Relation to head of household"),
    "id_type": ("证件类型", "ID document type"),
    "marital_status": ("婚姻状况", "Marital status"),
    "education": ("文化程度", "Education level"),
    "schooling": ("在学情况", "Schooling"),
    "residence_status": ("居住状态", "Residence status"),
    "occupation": ("从业状况", "Occupation"),
    "health_status": ("健康状况", "Health status"),
    "self_care": ("自理能力", "Self-care ability"),
    "vulnerable_category": ("特殊群体/困难类别", "Vulnerable category"),
    "disability_type": ("残疾类别", "Disability type"),
    "disability_grade": ("残疾等级", "Disability grade"),
    "phone_owner": ("电话归属", "Phone owner"),
    "household_status": ("户状态", "Household status"),
    "housing_type": ("住房情况", "Housing type"),
    "housing_safety": ("住房安全", "Housing safety"),
    "income_source": ("主要收入来源", "Main income source"),
    "income_band": ("家庭年收入区间", "Household annual income band"),
    "benefit": ("享受政策", "Benefits received"),
    "poverty_cause": ("致贫/返贫风险原因", "Poverty risk cause"),
    "lehe_participation": ("乐和参与", "Lehe participation"),
    # visits (§4.3–4.6)
    "visit_type": ("走访类型", "Visit type"),
    "lehe_dimension": ("乐和维度", "Lehe dimension"),
    "need_domain": ("需求领域", "Need domain"),
    "need_source": ("需求来源", "Need expressed by"),
    "urgency": ("紧迫程度", "Urgency"),
    "need_status": ("需求状态", "Need status"),
    "risk_level": ("风险等级", "Risk level"),
    "risk_factor": ("风险因素", "Risk factor"),
    "referral_target": ("转介去向", "Referral target"),
    "referral_status": ("转介状态", "Referral status"),
    "not_seen_reason": ("未见原因", "Reason not seen"),
    "visitor_role": ("走访人员身份", "Visitor role"),
    "policy_info": ("政策宣传", "Policy information given"),
    "confirm_method": ("受访人确认方式", "Respondent confirmation method"),
    # activities (§6)
    "activity_category": ("活动类别", "Activity category"),
    "lehe_domain": ("乐和领域", "Lehe domain"),
    "solar_term": ("二十四节气", "Solar term"),
    "festival": ("传统节日", "Traditional festival"),
    "target_group": ("目标人群", "Target group"),
    "attendance_role": ("签到身份", "Attendance role"),
    "age_band": ("年龄段", "Age band"),
    "sign_method": ("签到方式", "Sign-in method"),
    "venue_type": ("活动地点", "Venue type"),
    "satisfaction_level": ("满意度", "Satisfaction level"),
    # meetings (§7.1–7.3, §7.5)
    "meeting_type": ("会议类型", "Meeting type"),
    "participant_role": ("参会身份类别", "Participant role category"),
    "attendance_status": ("出席情况", "Attendance status"),
    "meeting_format": ("会议形式", "Meeting format"),
    "meeting_status": ("会议状态", "Meeting status"),
    "agenda_origin": ("议题来源/动议事由", "Agenda item origin"),
    "sanshi_class": ("三事分流", "Three-way sorting class"),
    "vote_method": ("表决方式", "Voting method"),
    "resolution_type": ("决议类型", "Resolution type"),
    "disclosure_channel": ("公开渠道", "Disclosure channel"),
    # matters and tasks (§1.5, §7.4)
    "matter_channel": ("来源渠道", "Matter channel"),
    "matter_topic": ("事项类别", "Matter topic"),
    "responsible_body": ("责任主体", "Responsible body"),
    "matter_status": ("事项状态", "Matter status"),
    "matter_satisfaction": ("回访满意度", "Check-back satisfaction"),
    "task_status": ("任务状态", "Task status"),
    # privacy (§8 P7)
    "consent_grantor": ("同意人", "Consent given by"),
    "consent_method": ("同意方式", "Consent method"),
}

VOCABS: dict[str, list[VocabItem]] = {
    # ---------------------------------------------------------------- cross-cutting
    # §4.2 数据质量, after HMIS 8/9/99. Valid for any vocabulary field.
    "dq": [
        ("unknown", "不知道", "Doesn't know"),
        ("refused", "拒绝回答", "Refused"),
        ("not_collected", "未采集", "Not collected"),
    ],
    # §2.1 location hierarchy, levels 1-6.
    "area_level": [
        ("province", "省级", "Province"),
        ("prefecture", "地级", "Prefecture"),
        ("county", "县级", "County"),
        ("township", "乡镇", "Township"),
        ("village", "村(社区)", "Administrative village"),
        ("group", "村民小组", "Villager group / natural village"),
    ],
    # ------------------------------------------------------- person and household
    # §4.2, GB/T 2261.1.
    "sex": [
        ("1", "男", "Male"),
        ("2", "女", "Female"),
        ("0", "未知", "Unknown"),
        ("9", "未说明", "Not stated"),
    ],
    # §4.2, GB/T 4761-2008.
    "relation_to_head": [
        ("02", "户主", "Head"),
        ("10", "配偶", "Spouse"),
        ("20", "子", "Son"),
        ("30", "女", "Daughter"),
        ("40", "孙辈", "Grandchild"),
        ("50", "父母", "Parent"),
        ("60", "祖父母", "Grandparent"),
        ("70", "兄弟姐妹", "Sibling"),
        ("97", "其他亲属", "Other relative"),
        ("99", "非亲属", "Non-relative"),
    ],
    # §4.2. 未采集 (not collected) is the DQ answer ``not_collected``.
    "id_type": [
        ("resident_id", "居民身份证", "Resident ID"),
        ("hukou_book", "户口簿", "Household register"),
        ("hmt_residence_permit", "港澳台居住证", "HK-Macau-Taiwan residence permit"),
        ("foreign_pr_id", "外国人永久居留身份证", "Foreign permanent-residence ID"),
        ("none", "无", "None"),
    ],
    # §4.2, GB/T 2261.2.
    "marital_status": [
        ("10", "未婚", "Never married"),
        ("20", "已婚", "Married"),
        ("30", "丧偶", "Widowed"),
        ("40", "离婚", "Divorced"),
        ("90", "未说明", "Not stated"),
    ],
    "education": [
        ("illiterate", "文盲半文盲", "Illiterate or semi-literate"),
        ("primary", "小学", "Primary"),
        ("lower_secondary", "初中", "Lower secondary"),
        ("upper_secondary", "高中中专", "Upper secondary or vocational"),
        ("college_plus", "大专及以上", "College and above"),
    ],
    # §4.2 在学情况, for ages 3-18.
    "schooling": [
        ("preschool", "学龄前", "Pre-school"),
        ("primary", "小学", "Primary"),
        ("lower_secondary", "初中", "Lower secondary"),
        ("upper_secondary", "高中", "Upper secondary"),
        ("vocational", "中职", "Vocational"),
        ("university", "大学", "University"),
        ("dropped_out", "辍学", "Dropped out"),
        ("never_enrolled", "未入学", "Never enrolled"),
    ],
    "residence_status": [
        ("at_home", "常住在家", "At home"),
        ("working_away", "外出务工", "Working away"),
        ("studying_away", "外出就学", "Studying away"),
        ("institution", "住院或机构供养", "In hospital or institution"),
        ("moved_out", "迁出", "Moved out"),
        ("deceased", "死亡", "Deceased"),
        ("lost_contact", "失联", "Lost contact"),
    ],
    "occupation": [
        ("farming", "务农", "Farming"),
        ("wage_work", "务工", "Wage work"),
        ("self_employed", "个体", "Self-employed"),
        ("student", "学生", "Student"),
        ("retired", "退休", "Retired"),
        ("unemployed", "无业", "Unemployed"),
        ("unable_to_work", "丧失劳动能力", "Unable to work"),
    ],
    "health_status": [
        ("healthy", "健康", "Healthy"),
        ("fair", "一般", "Fair"),
        ("chronic", "慢性病", "Chronic illness"),
        ("serious", "大病重病", "Serious illness"),
        ("disabled", "残疾", "Disabled"),
    ],
    "self_care": [
        ("independent", "完全自理", "Independent"),
        ("partly_dependent", "半失能", "Partly dependent"),
        ("fully_dependent", "完全失能", "Fully dependent"),
    ],
    # §4.6 V1, person- or household-level, multi-select.
    "vulnerable_category": [
        ("dibao", "低保户/低保对象", "Minimum-living-allowance recipient"),
        ("dibao_edge", "低保边缘家庭", "Near-dibao household"),
        ("tekun", "特困供养人员（原五保）",
         'Extreme-poverty supported person (formerly "five guarantees")'),
        ("fpjc_unstable", "防返贫监测对象—脱贫不稳定户",
         "Monitored: unstable ex-poor household"),
        ("fpjc_edge", "防返贫监测对象—边缘易致贫户",
         "Monitored: marginal, at risk of poverty"),
        ("fpjc_sudden", "防返贫监测对象—突发严重困难户",
         "Monitored: sudden severe hardship"),
        ("tuopin", "脱贫户",
         "Household lifted out of poverty (formerly a registered poor household)"),
        ("orphan", "孤儿", "Orphan"),
        ("de_facto_unsupported", "事实无人抚养儿童", "De-facto unsupported child"),
        ("child_difficulty", "困境儿童（贫困/残疾/监护缺失或不当）",
         "Child in difficulty (poverty / disability / lack of or improper guardianship)"),
        ("left_behind_child", "农村留守儿童", "Left-behind child"),
        ("left_behind_elder", "留守老人", "Left-behind elder"),
        ("empty_nest", "空巢老人", "Empty-nest elder (children live elsewhere)"),
        ("living_alone", "独居老人", "Elder living alone"),
        ("very_old", "高龄老人（80岁及以上）", "Oldest-old (80+)"),
        ("disabled_elder_care", "失能/半失能老人", "Elder with care dependency"),
        ("lonely_elder", "孤寡老人", "Elder with no family"),
        ("disabled", "残疾人", "Person with disability"),
        ("serious_illness", "重病/大病患者", "Serious illness"),
        ("mental_disorder", "严重精神障碍患者", "Severe mental disorder"),
        ("left_behind_woman", "留守妇女", "Left-behind woman"),
        ("single_parent", "单亲家庭", "Single-parent household"),
        ("disaster", "受灾户", "Disaster-affected household"),
        ("special_care", "优抚对象", "Military-family beneficiary"),
        ("other", "其他", "Other (specify)"),
    ],
    # §4.2 [S25]; codes are the category digit of the 残疾人证 number (GB/T 26341).
    "disability_type": [
        ("1", "视力残疾", "Vision"),
        ("2", "听力残疾", "Hearing"),
        ("3", "言语残疾", "Speech"),
        ("4", "肢体残疾", "Physical"),
        ("5", "智力残疾", "Intellectual"),
        ("6", "精神残疾", "Mental"),
        ("7", "多重残疾", "Multiple"),
    ],
    "disability_grade": [
        ("1", "一级", "Grade 1"),
        ("2", "二级", "Grade 2"),
        ("3", "三级", "Grade 3"),
        ("4", "四级", "Grade 4"),
    ],
    # Label for each number in household_phones / phones (§3.2, §4.1).
    "phone_owner": [
        ("self", "本人", "Self"),
        ("spouse", "配偶", "Spouse"),
        ("child_away", "子女(外出务工)", "Child working away"),
        ("guardian", "监护人", "Guardian"),
        ("neighbour", "邻居代接", "Neighbour takes calls"),
        ("head", "户主", "Head of household"),
        ("other", "其他", "Other"),
    ],
    "household_status": [
        ("on_register", "在册", "On register"),
        ("moved_out", "迁出", "Moved out"),
        ("closed", "销户(全户死亡)", "Closed, all members deceased"),
        ("merged", "合并", "Merged"),
    ],
    "housing_type": [
        ("self_built", "自建房", "Self-built"),
        ("rented", "租住", "Rented"),
        ("lodging", "寄居", "Lodging"),
        ("resettlement", "安置(还建)房", "Resettlement"),
        ("with_children", "与子女同住", "With children"),
        ("other", "其他", "Other"),
    ],
    "housing_safety": [
        ("safe", "安全", "Safe"),
        ("fair", "一般", "Fair"),
        ("unsafe", "危房(C级/D级)", "Unsafe, grade C or D"),
        ("not_assessed", "未鉴定", "Not assessed"),
    ],
    "income_source": [
        ("crops", "种植", "Crops"),
        ("livestock", "养殖", "Livestock"),
        ("wage_work", "务工", "Wage work"),
        ("small_business", "个体经营", "Small business"),
        ("pension", "养老金", "Pension"),
        ("welfare", "低保特困金", "Welfare payments"),
        ("children_support", "子女赡养", "Support from children"),
        ("other", "其他", "Other"),
    ],
    # Household annual income in yuan; bands rather than amounts (data minimisation).
    # Finer at the low end, where dibao and poverty-monitoring lines fall.
    "income_band": [
        ("lt_5k", "5000元以下", "Under ¥5,000"),
        ("5k_10k", "5000–9999元", "¥5,000–9,999"),
        ("10k_20k", "1万–2万元(不含)", "¥10,000–19,999"),
        ("20k_30k", "2万–3万元(不含)", "¥20,000–29,999"),
        ("30k_50k", "3万–5万元(不含)", "¥30,000–49,999"),
        ("50k_80k", "5万–8万元(不含)", "¥50,000–79,999"),
        ("80k_120k", "8万–12万元(不含)", "¥80,000–119,999"),
        ("120k_plus", "12万元及以上", "¥120,000 and over"),
    ],
    # §4.6 V2.
    "benefit": [
        ("dibao", "低保金", "Minimum-living allowance"),
        ("tekun", "特困供养金", "Extreme-poverty support payment"),
        ("disability_living", "困难残疾人生活补贴",
         "Living allowance for disabled people in hardship"),
        ("disability_care", "重度残疾人护理补贴",
         "Care allowance for severely disabled people"),
        ("old_age_allowance", "高龄津贴", "Old-age allowance"),
        ("orphan_allowance", "孤儿/事实无人抚养儿童基本生活费",
         "Basic living allowance for orphans and de-facto unsupported children"),
        ("medical_assistance", "医疗救助", "Medical assistance"),
        ("temporary_relief", "临时救助", "Temporary relief"),
        ("education_aid", "教育资助", "Education assistance"),
        ("housing_renovation", "危房改造", "Dilapidated-housing renovation"),
        ("welfare_job", "公益性岗位", "Public-welfare job"),
        ("other", "其他", "Other"),
    ],
    # §4.6 V3.
    "poverty_cause": [
        ("illness", "因病", "Illness"),
        ("schooling", "因学", "Schooling costs"),
        ("disability", "因残", "Disability"),
        ("natural_disaster", "因自然灾害", "Natural disaster"),
        ("accident", "因意外事故", "Accident"),
        ("project_failure", "因产业项目失败", "Failed farm or business project"),
        ("unstable_employment", "因务工就业不稳", "Unstable employment"),
        ("lack_of_labour", "缺劳动力", "Lack of labour"),
        ("other", "其他", "Other"),
    ],
    "lehe_participation": [
        ("association_member", "互助会成员", "Association member"),
        ("attends_activities", "参加活动", "Attends activities"),
        ("volunteer", "志愿者", "Volunteer"),
        ("notable", "乡贤", "Notable villager"),
    ],
    # ------------------------------------------------------------------- visits
    # §4.6 V4.
    "visit_type": [
        ("intake", "首次建档", "First registration (intake)"),
        ("routine", "常规探访", "Routine visit"),
        ("needs_assessment", "需求评估", "Needs assessment"),
        ("follow_up", "跟进回访", "Follow-up"),
        ("festival_greeting", "节日慰问", "Festival greeting visit"),
        ("crisis", "危机介入", "Crisis response"),
        ("policy", "政策宣传/核查", "Policy outreach / verification"),
        ("sanshi_checkback", "三事回访", "Three-way sorting satisfaction check-back"),
        ("other", "其他", "Other"),
    ],
    # §1.2, §4.4.
    "lehe_dimension": [
        ("body", "身", "Body"),
        ("mind", "心", "Heart-mind"),
        ("environment", "境", "Environment"),
    ],
    # §4.6 V5; see NEED_DOMAIN_DIMENSIONS for the 身/心/境 mapping.
    "need_domain": [
        ("basic_living", "基本生活/经济", "Basic living / income"),
        ("livelihood", "生计就业", "Livelihood & employment"),
        ("health", "医疗康复", "Health care & rehabilitation"),
        ("daily_care", "日常照料", "Daily personal care"),
        ("housing", "住房与人居安全", "Housing & habitat safety"),
        ("education", "教育学业", "Education"),
        ("emotional", "心理情绪", "Emotional / psychological"),
        ("cultural_spiritual", "精神文化", "Cultural & spiritual life"),
        ("family", "家庭关系", "Family relationships (incl. filial piety)"),
        ("social_support", "邻里与社会支持", "Neighbour & social support"),
        ("safety", "安全保护", "Safety & protection (abuse, neglect, guardianship)"),
        ("benefits", "政策咨询与救助申请", "Benefit information & application"),
        ("legal_aid", "法律援助", "Legal aid"),
        ("public_affairs", "公共事务参与", "Participation in public affairs"),
        ("other", "其他", "Other"),
    ],
    # §4.4 来源.
    "need_source": [
        ("self", "本人自述", "Self-reported"),
        ("family", "家人反映", "Family"),
        ("worker_observed", "社工观察", "Social worker observed"),
        ("neighbours", "邻里或互助会反映", "Neighbours or association"),
        ("village_committee", "村委反映", "Village committee"),
    ],
    "urgency": [
        ("urgent", "紧急", "Urgent"),
        ("fairly_urgent", "较急", "Fairly urgent"),
        ("routine", "一般", "Routine"),
    ],
    "need_status": [
        ("open", "待处理", "Open"),
        ("in_progress", "跟进中", "In progress"),
        ("met", "已满足", "Met"),
        ("referred", "已转介", "Referred"),
        ("cannot_meet", "无法满足", "Cannot be met"),
        ("client_withdrew", "对象放弃", "Client withdrew"),
    ],
    # §4.5.
    "risk_level": [
        ("high", "高", "High"),
        ("medium", "中", "Medium"),
        ("low", "低", "Low"),
        ("none", "无", "None"),
    ],
    # §4.6 V6.
    "risk_factor": [
        ("alone_no_carer", "独居无人照料", "Living alone with no carer"),
        ("dependent_no_carer", "失能无照护", "Care-dependent with no carer"),
        ("illness_untreated", "重病未就医或断药",
         "Serious illness untreated or medication stopped"),
        ("mental_untreated", "精神障碍未规律治疗", "Mental disorder not regularly treated"),
        ("self_harm", "自伤/自杀风险", "Self-harm or suicide risk"),
        ("abuse_neglect", "家庭暴力/虐待/遗弃/疏忽",
         "Domestic violence, abuse, abandonment or neglect"),
        ("child_no_guardian", "儿童监护缺失", "Child without guardianship"),
        ("unsafe_housing", "危房/用火用电安全", "Unsafe house or fire/electrical hazard"),
        ("no_food", "断炊/基本生活无保障", "No food / basic living not secured"),
        ("sudden_expense", "突发大额支出", "Sudden large expense"),
        ("dispute_escalating", "矛盾纠纷激化", "Escalating dispute"),
        ("other", "其他", "Other"),
    ],
    # §4.6 V7.
    "referral_target": [
        ("township_gov", "乡镇党委政府/民政办(社会事务办)",
         "Township government / civil-affairs office"),
        ("township_sw_station", "乡镇社工站", "Township social-work station"),
        ("village_committees", "村两委", "Village committees"),
        ("mutual_aid", "乐和互助会", "Lehe mutual-aid association"),
        ("health", "卫生院/村医/医院", "Health centre / village doctor / hospital"),
        ("disabled_federation", "残联", "Disabled Persons' Federation"),
        ("womens_federation", "妇联", "Women's Federation"),
        ("youth_school", "团委/关工委/学校", "Youth league / youth-care committee / school"),
        ("police", "派出所", "Police station"),
        ("justice", "司法所/法律援助", "Justice office / legal aid"),
        ("employment", "人社(就业)部门", "Employment services"),
        ("other_ngo", "其他社会组织", "Other NGO"),
        ("volunteers", "志愿者/乡贤", "Volunteers / notable villagers"),
        ("other", "其他", "Other"),
    ],
    # §4.5 Referral.status.
    "referral_status": [
        ("referred", "已转介", "Referred"),
        ("accepted", "已受理", "Accepted"),
        ("resolved", "已解决", "Resolved"),
        ("not_accepted", "未受理", "Not accepted"),
        ("withdrawn", "撤回", "Withdrawn"),
        ("client_declined", "对象拒绝", "Client declined"),
    ],
    # §4.3. 拒绝见面 is coded refused_meeting: ``refused`` is a DQ answer.
    "not_seen_reason": [
        ("working_away", "外出务工", "Working away"),
        ("in_hospital", "就医住院", "In hospital"),
        ("at_school", "上学", "At school"),
        ("visiting_relatives", "走亲访友", "Visiting relatives"),
        ("refused_meeting", "拒绝见面", "Refused"),
        ("no_one_home", "无人在家", "No one home"),
        ("other", "其他", "Other"),
    ],
    # §4.3 走访人员.
    "visitor_role": [
        ("social_worker", "社工", "Social worker"),
        ("village_official", "村干部", "Village official"),
        ("association_member", "互助会成员", "Association member"),
        ("volunteer", "志愿者", "Volunteer"),
        ("notable", "乡贤", "Notable villager"),
        ("civil_affairs", "民政干部", "Civil-affairs official"),
    ],
    # §4.3 政策宣传.
    "policy_info": [
        ("dibao", "低保", "Minimum-living allowance"),
        ("tekun", "特困", "Extreme-poverty support"),
        ("medical_insurance", "医保", "Health insurance"),
        ("disability_allowance", "残疾补贴", "Disability allowance"),
        ("old_age_allowance", "高龄津贴", "Old-age allowance"),
        ("temporary_relief", "临时救助", "Temporary relief"),
        ("other", "其他", "Other"),
    ],
    # §4.3 受访人确认.
    "confirm_method": [
        ("oral", "口头确认", "Oral"),
        ("signature", "签字", "Signature"),
        ("thumbprint", "按手印", "Thumbprint"),
    ],
    # --------------------------------------------------------------- activities
    # §6.3 V8; see ACTIVITY_CATEGORY_LEHE_DOMAINS.
    "activity_category": [
        ("classics", "国学经典诵读/乐和讲堂", "Classics reading / Lehe lecture hall"),
        ("culture_class", "传统文化课堂", "Traditional-culture class"),
        ("rite_kaibi", "开笔礼", "Writing-initiation rite (children)"),
        ("rite_elder", "敬老/孝亲礼、孝亲敬老宴",
         "Elder-respect / filial-piety ceremony, elders' banquet"),
        ("rite_other", "其他礼仪（成人礼、拜师礼等）", "Other rites"),
        ("festival", "传统节日活动", "Traditional festival"),
        ("solar_term", "节气活动", "Solar-term gathering"),
        ("elder_birthday", "孤寡/高龄老人生日会", "Birthday party for lone or very old elders"),
        ("wellness_exercise", "乐和操/健身",
         "Lehe exercise (stretch, breath, pat, meditate, five-element fist)"),
        ("health_talk", "健康讲座/义诊/食疗", "Health talk / free clinic / food therapy"),
        ("song_dance", "坝坝舞/乐和歌谣/文艺汇演", "Courtyard dance / Lehe songs / performance"),
        ("habitat_cleanup", "环境整治/垃圾清理/垃圾分类", "Clean-up / waste sorting"),
        ("garden", "庭院种植/美丽庭院", "Courtyard gardening"),
        ("livelihood_training", "技能培训/手工刺绣/生态农业", "Skills / handicraft / eco-farming"),
        ("volunteer_labour", "义务投工投劳", "Voluntary collective labour"),
        ("children_program", "儿童课堂/四点半课堂/夏令营",
         "Children's class / after-school / summer camp"),
        ("policy_outreach", "政策宣传/学政策听新闻", "Policy outreach"),
        ("capacity_building", "互助会/代表能力建设培训", "Association or representative training"),
        ("other", "其他", "Other"),
    ],
    # §1.3 components (五位一体 / 六方面); ecology may be folded into habitat locally.
    "lehe_domain": [
        ("governance", "乐和治理", "Lehe governance (co-governance)"),
        ("livelihood", "乐和生计", "Lehe livelihood"),
        ("habitat", "乐和人居", "Lehe habitat / living environment"),
        ("etiquette", "乐和礼仪", "Lehe rites & etiquette (ethics, filial piety)"),
        ("wellness", "乐和养生", "Lehe wellness / health care"),
        ("ecology", "乐和环境/生态", "Lehe environment / ecology"),
    ],
    # §6.3 V9, in calendar order from 立春; codes are pinyin.
    "solar_term": [
        ("lichun", "立春", "Beginning of Spring"),
        ("yushui", "雨水", "Rain Water"),
        ("jingzhe", "惊蛰", "Awakening of Insects"),
        ("chunfen", "春分", "Spring Equinox"),
        ("qingming", "清明", "Clear and Bright"),
        ("guyu", "谷雨", "Grain Rain"),
        ("lixia", "立夏", "Beginning of Summer"),
        ("xiaoman", "小满", "Grain Buds"),
        ("mangzhong", "芒种", "Grain in Ear"),
        ("xiazhi", "夏至", "Summer Solstice"),
        ("xiaoshu", "小暑", "Minor Heat"),
        ("dashu", "大暑", "Major Heat"),
        ("liqiu", "立秋", "Beginning of Autumn"),
        ("chushu", "处暑", "End of Heat"),
        ("bailu", "白露", "White Dew"),
        ("qiufen", "秋分", "Autumn Equinox"),
        ("hanlu", "寒露", "Cold Dew"),
        ("shuangjiang", "霜降", "Frost's Descent"),
        ("lidong", "立冬", "Beginning of Winter"),
        ("xiaoxue", "小雪", "Minor Snow"),
        ("daxue", "大雪", "Major Snow"),
        ("dongzhi", "冬至", "Winter Solstice"),
        ("xiaohan", "小寒", "Minor Cold"),
        ("dahan", "大寒", "Major Cold"),
    ],
    # §6.3 V10; codes are pinyin.
    "festival": [
        ("chunjie", "春节", "Spring Festival"),
        ("yuanxiao", "元宵节", "Lantern Festival"),
        ("qingming", "清明节", "Qingming"),
        ("duanwu", "端午节", "Dragon Boat"),
        ("qixi", "七夕", "Qixi"),
        ("zhongyuan", "中元节", "Zhongyuan"),
        ("zhongqiu", "中秋节", "Mid-Autumn"),
        ("chongyang", "重阳节（敬老节）", "Double Ninth (Elders' Day)"),
        ("dongzhi", "冬至", "Winter Solstice"),
        ("laba", "腊八节", "Laba"),
        ("xiaonian", "小年", "Little New Year"),
        ("chuxi", "除夕", "New Year's Eve"),
    ],
    # §6.1 目标人群.
    "target_group": [
        ("children", "儿童", "Children"),
        ("youth", "青少年", "Youth"),
        ("women", "妇女", "Women"),
        ("elders", "老人", "Elders"),
        ("all_villagers", "全体村民", "All villagers"),
        ("disabled", "残疾人", "Disabled people"),
        ("left_behind", "留守群体", "Left-behind groups"),
    ],
    # §6.2 身份.
    "attendance_role": [
        ("participant", "参与者", "Participant"),
        ("volunteer", "志愿者", "Volunteer"),
        ("staff", "工作人员", "Staff"),
        ("guest", "嘉宾", "Guest"),
        ("performer", "表演者", "Performer"),
    ],
    # §6.1 人数构成 / §6.2 年龄段.
    "age_band": [
        ("under14", "14岁以下", "Under 14"),
        ("14_17", "14–17岁", "14–17"),
        ("18_59", "18–59岁", "18–59"),
        ("60plus", "60岁及以上", "60 and over"),
    ],
    "sign_method": [
        ("own_signature", "手签", "Own signature"),
        ("signed_for", "代签", "Signed for them"),
        ("thumbprint", "按手印", "Thumbprint"),
        ("scanned_sheet", "扫描纸质签到表", "Scanned paper sheet"),
    ],
    # §6.1 地点 [S5,S11]; "other" added because the venue list is open.
    "venue_type": [
        ("lehe_courtyard", "乐和大院", "Lehe courtyard"),
        ("village_office", "村委会", "Village office"),
        ("courtyard", "院坝", "Courtyard"),
        ("ancestral_hall", "祠堂", "Ancestral hall"),
        ("school", "学校", "School"),
        ("fields", "田间", "Fields"),
        ("other", "其他", "Other"),
    ],
    "satisfaction_level": [
        ("very_satisfied", "非常满意", "Very satisfied"),
        ("satisfied", "满意", "Satisfied"),
        ("neutral", "一般", "Neutral"),
        ("dissatisfied", "不满意", "Dissatisfied"),
    ],
    # ----------------------------------------------------------------- meetings
    # §7.5 V11; drives the validation rules in §7.6.
    "meeting_type": [
        ("lehe_joint", "乐和联席会", "Lehe joint (multi-stakeholder) meeting"),
        ("mutual_aid", "乐和互助会会议", "Mutual-aid association meeting"),
        ("courtyard", "院坝会", "Courtyard meeting (natural-village level)"),
        ("group_meeting", "村民小组会议", "Villager-group meeting"),
        ("rep_meeting", "村民代表会议", "Villager representatives' meeting"),
        ("assembly", "村民会议", "Villagers' assembly"),
        ("two_committees", "村“两委”会议", "Party branch + village committee meeting"),
        ("party_members", "党员大会", "Party members' meeting"),
        ("tripartite", "三方议事会",
         "Tripartite deliberation (committee, owners or residents, social organisation)"),
        ("yishiyiyi", "一事一议", "One-issue-one-discussion (public-works financing)"),
        ("other", "其他", "Other"),
    ],
    # §7.5 V12.
    "participant_role": [
        ("township_gov", "乡镇党委政府", "Township Party committee / government"),
        ("first_secretary", "驻村第一书记/工作队", "Resident first secretary / work team"),
        ("village_party", "村党组织", "Village Party organisation"),
        ("village_committee", "村委会", "Village committee"),
        ("supervisory_committee", "村务监督委员会", "Village affairs supervisory committee"),
        ("group_leader", "村民小组长", "Group leader"),
        ("mutual_aid", "乐和互助会（会长/成员）",
         "Lehe mutual-aid association (chair / member)"),
        ("lehe_rep", "乐和代表", "Lehe representative"),
        ("social_worker", "社工（乐和社工站）", "Social worker"),
        ("notable", "乡贤", "Notable villager / returned elite"),
        ("villager_rep", "村民代表", "Villager representative"),
        ("party_member", "党员", "Party member"),
        ("villager", "村民", "Villager"),
        ("volunteer", "志愿者", "Volunteer"),
        ("expert", "专家", "Expert"),
        ("other_ngo", "其他社会组织", "Other NGO"),
        ("enterprise", "企业", "Enterprise"),
        ("other", "其他", "Other"),
    ],
    # §7.2 出席.
    "attendance_status": [
        ("present", "出席", "Present"),
        ("excused", "请假", "Excused"),
        ("absent", "缺席", "Absent"),
        ("observer", "列席", "Observer"),
    ],
    # §7.1 会议形式.
    "meeting_format": [
        ("in_person", "现场", "In person"),
        ("courtyard", "院坝会", "Courtyard meeting"),
        ("by_section", "分片", "By section"),
        ("online", "线上(微信群)", "Online via WeChat group"),
        ("written", "书面征求意见", "Written consultation"),
    ],
    "meeting_status": [
        ("draft", "草稿", "Draft"),
        ("finalised", "已定稿", "Finalised"),
        ("published", "已公开", "Published"),
    ],
    # §7.3 议题来源 / 动议事由: the 四议两公开 form's three boxes, then Lehe additions.
    "agenda_origin": [
        ("member_suggestion", "党员群众建议", "Suggested by Party members or villagers"),
        ("official_proposal", "村干部提议", "Proposed by village officials"),
        ("higher_assignment", "上级党委政府安排",
         "Assigned by higher-level Party committee or government"),
        ("association", "互助会提出", "Association"),
        ("visit_finding", "社工走访发现", "Found on a social-work visit"),
        ("request_register", "村民诉求登记", "Villager request register"),
        ("joint_petition", "联名提议", "Joint petition"),
    ],
    # §1.5, §4.4, §7.3, §7.4. Issues use major/minor/private only; needs may be
    # unclassified; agenda items may be not_applicable.
    "sanshi_class": [
        ("major", "大事", "Major matter"),
        ("minor", "小事", "Minor matter"),
        ("private", "私事", "Private matter"),
        ("unclassified", "未分类", "Not classified"),
        ("not_applicable", "不适用", "Not applicable"),
    ],
    "vote_method": [
        ("show_of_hands", "举手", "Show of hands"),
        ("secret_ballot", "无记名投票", "Secret ballot"),
        ("voice", "口头", "Voice"),
        ("consensus", "协商一致", "Consensus"),
        ("no_vote", "不表决(仅议事)", "No vote, discussion only"),
    ],
    "resolution_type": [
        ("decision", "决定", "Decision"),
        ("recommend_upward", "建议上报", "Recommendation sent upward"),
        ("deferred", "暂缓", "Deferred"),
        ("rejected", "否决", "Rejected"),
        ("handed_over", "转交", "Handed over"),
    ],
    # §7.1 公开情况.channel.
    "disclosure_channel": [
        ("public_board", "公开栏", "Public board"),
        ("lehe_wall", "乐和墙", "Lehe wall"),
        ("wechat_group", "微信群", "WeChat group"),
        ("loudspeaker", "广播", "Loudspeaker"),
    ],
    # --------------------------------------------------------- matters and tasks
    # §7.4 Issue.channel.
    "matter_channel": [
        ("home_visit", "入户走访", "Home visit"),
        ("courtyard_meeting", "院坝会", "Courtyard meeting"),
        ("joint_meeting", "联席会", "Joint meeting"),
        ("walk_in", "来访", "Walk-in"),
        ("phone", "电话", "Phone"),
        ("wechat_group", "微信群", "WeChat group"),
        ("association", "互助会反映", "Association"),
    ],
    # §7.4 Issue.topic_category.
    "matter_topic": [
        ("infrastructure", "基础设施(路/水/电)", "Infrastructure: roads, water, power"),
        ("sanitation", "环境卫生", "Sanitation"),
        ("neighbour_dispute", "邻里纠纷", "Neighbour dispute"),
        ("family_conflict", "家庭矛盾", "Family conflict"),
        ("relief_application", "救助申请", "Relief application"),
        ("health", "医疗", "Health"),
        ("education", "教育", "Education"),
        ("livelihood", "就业生计", "Livelihood"),
        ("public_safety", "治安安全", "Public safety"),
        ("land_forest", "土地山林", "Land and forest"),
        ("public_services", "公共服务", "Public services"),
        ("other", "其他", "Other"),
    ],
    # §1.5, §7.4 责任主体, grouped by sanshi class (see SANSHI_DEFAULT_BODIES).
    "responsible_body": [
        ("government", "政府部门", "Government department"),
        ("village_committees", "村两委", "Village committees"),
        ("mutual_aid", "互助会", "Mutual-aid association"),
        ("villager_group", "村民小组", "Villager group"),
        ("person", "本人", "The person"),
        ("family", "家庭", "The family"),
        ("market", "市场", "The market"),
    ],
    # §7.4 Issue.status.
    "matter_status": [
        ("registered", "已登记", "Registered"),
        ("routed", "已分流", "Routed"),
        ("in_progress", "办理中", "In progress"),
        ("resolved", "已办结", "Resolved"),
        ("overdue", "逾期", "Overdue"),
        ("cannot_do", "无法办理(已解释)", "Cannot be done, explained"),
        ("withdrawn", "撤回", "Withdrawn"),
    ],
    "matter_satisfaction": [
        ("satisfied", "满意", "Satisfied"),
        ("fairly_satisfied", "基本满意", "Fairly satisfied"),
        ("dissatisfied", "不满意", "Dissatisfied"),
    ],
    # §7.4 Task.status.
    "task_status": [
        ("not_started", "未开始", "Not started"),
        ("in_progress", "进行中", "In progress"),
        ("done", "已完成", "Done"),
        ("overdue", "逾期", "Overdue"),
        ("cancelled", "取消", "Cancelled"),
    ],
    # ------------------------------------------------------------------ privacy
    # §8 P7: who consented, and how.
    "consent_grantor": [
        ("self", "本人", "The person themself"),
        ("guardian", "监护人", "Guardian"),
        ("household_head", "户主代表", "Head of household on their behalf"),
    ],
    "consent_method": [
        ("written", "书面签字", "Written signature"),
        ("thumbprint", "按手印", "Thumbprint"),
        ("oral_witnessed", "口头+见证人", "Oral, with a witness"),
    ],
}

# §1.5 / §7.4: who is expected to handle each class of matter (大事政府办, 小事村民办,
# 私事自己办). Used for warnings, not blocks (§7.6). unclassified and not_applicable
# have no expected body.
SANSHI_DEFAULT_BODIES: dict[str, tuple[str, ...]] = {
    "major": ("government",),
    "minor": ("village_committees", "mutual_aid", "villager_group"),
    "private": ("person", "family", "market"),
}

# §4.6 V5: the Lehe dimension(s) (身/心/境) each need domain usually falls under;
# a default for the form, which the worker may change.
NEED_DOMAIN_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "basic_living": ("environment",),
    "livelihood": ("environment",),
    "health": ("body",),
    "daily_care": ("body",),
    "housing": ("environment",),
    "education": ("mind", "environment"),
    "emotional": ("mind",),
    "cultural_spiritual": ("mind",),
    "family": ("mind",),
    "social_support": ("environment",),
    "safety": ("body", "environment"),
    "benefits": ("environment",),
    "legal_aid": ("environment",),
    "public_affairs": ("environment",),
    "other": (),
}

# §6.3 V8: the Lehe domain(s) each activity category usually belongs to (default tags).
ACTIVITY_CATEGORY_LEHE_DOMAINS: dict[str, tuple[str, ...]] = {
    "classics": ("etiquette",),
    "culture_class": ("etiquette",),
    "rite_kaibi": ("etiquette",),
    "rite_elder": ("etiquette",),
    "rite_other": ("etiquette",),
    "festival": ("etiquette",),
    "solar_term": ("etiquette", "wellness"),
    "elder_birthday": ("etiquette",),
    "wellness_exercise": ("wellness",),
    "health_talk": ("wellness",),
    "song_dance": ("etiquette", "governance"),
    "habitat_cleanup": ("habitat",),
    "garden": ("habitat",),
    "livelihood_training": ("livelihood",),
    "volunteer_labour": ("governance",),
    "children_program": ("etiquette",),
    "policy_outreach": ("governance",),
    "capacity_building": ("governance",),
    "other": (),
}
