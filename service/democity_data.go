package service

// The reference data of the demo city: Hulunbuir's banners, districts and
// cities with the seat of each, their towns and sumu, the city's units and
// what they are good at, and the names people carry there. The generator in
// democity.go draws from these lists with a fixed seed.

// demoBanner is a banner, district or county-level city with its seat's
// approximate position and the 6-digit division code that ID-card numbers
// born there start with.
type demoBanner struct {
	name     string
	lat, lng float64
	code     string
	kind     string // urban, forest, farming, pastoral: what its villages are called and its sites are
	towns    []string
}

// demoBanners are Hulunbuir's 14 banner-level divisions. Coordinates are the
// seats', rounded; town lists are a real selection, not complete.
var demoBanners = []demoBanner{
	{"海拉尔区", 49.2122, 119.7364, "150702", "urban", []string{"胜利街道", "正阳街道", "呼伦街道", "建设街道", "奋斗镇", "哈克镇"}},
	{"扎赉诺尔区", 49.4862, 117.7168, "150703", "urban", []string{"第一街道", "第三街道", "灵泉镇"}},
	{"满洲里市", 49.5978, 117.3786, "150781", "urban", []string{"道北街道", "道南街道", "兴华街道", "新开河镇"}},
	{"牙克石市", 49.2856, 120.7117, "150782", "forest", []string{"免渡河镇", "乌奴耳镇", "博克图镇", "绰河源镇", "图里河镇"}},
	{"扎兰屯市", 48.0137, 122.7377, "150783", "farming", []string{"卧牛河镇", "成吉思汗镇", "大河湾镇", "柴河镇", "中和镇", "蘑菇气镇"}},
	{"额尔古纳市", 50.2431, 120.1782, "150784", "forest", []string{"黑山头镇", "室韦镇", "莫尔道嘎镇", "三河回族乡", "恩和俄罗斯族民族乡"}},
	{"根河市", 50.7800, 121.5207, "150785", "forest", []string{"金河镇", "阿龙山镇", "满归镇", "得耳布尔镇", "敖鲁古雅鄂温克族乡"}},
	{"阿荣旗", 48.1261, 123.4590, "150721", "farming", []string{"那吉镇", "六合镇", "亚东镇", "霍尔奇镇", "向阳峪镇", "音河达斡尔鄂温克民族乡"}},
	{"莫力达瓦达斡尔族自治旗", 48.4776, 124.5194, "150722", "farming", []string{"尼尔基镇", "红彦镇", "宝山镇", "腾克镇", "汉古尔河镇", "西瓦尔图镇"}},
	{"鄂伦春自治旗", 50.5910, 123.7259, "150723", "forest", []string{"阿里河镇", "大杨树镇", "甘河镇", "吉文镇", "诺敏镇", "托扎敏乡"}},
	{"鄂温克族自治旗", 49.1470, 119.7550, "150724", "pastoral", []string{"巴彦托海镇", "大雁镇", "伊敏河镇", "红花尔基镇", "辉苏木", "锡尼河西苏木"}},
	{"陈巴尔虎旗", 49.3283, 119.4244, "150725", "pastoral", []string{"巴彦库仁镇", "鄂温克民族苏木", "宝日希勒镇", "呼和诺尔镇", "东乌珠尔苏木", "巴彦哈达苏木"}},
	{"新巴尔虎左旗", 48.2185, 118.2699, "150726", "pastoral", []string{"阿木古郎镇", "嵯岗镇", "吉布胡郎图苏木", "甘珠尔苏木", "乌布尔宝力格苏木", "新宝力格苏木"}},
	{"新巴尔虎右旗", 48.6727, 116.8232, "150727", "pastoral", []string{"阿拉坦额莫勒镇", "阿日哈沙特镇", "呼伦镇", "宝格德乌拉苏木", "贝尔苏木", "克尔伦苏木"}},
}

// Stems of village-level names, by what a town's villages are called.
var (
	demoGachaStems = []string{"巴彦", "查干诺尔", "额尔敦乌拉", "锡林", "宝力格", "乌兰宝力格", "好力宝", "哈吉",
		"阿拉坦", "呼和", "乌兰", "巴彦乌拉", "巴彦布拉格", "白音哈达", "额尔敦", "芒来", "乌兰泡", "那日图",
		"罕乌拉", "宝音图", "孟根楚鲁", "达石莫", "陶森宝拉格", "呼日格", "阿日善", "温多尔", "嘎鲁图", "巴音塔拉",
		"新宝力格", "莫能塔拉"}
	demoVillageStems = []string{"新发", "前进", "红星", "永安", "太平", "兴隆", "东光", "长发", "复兴", "胜利", "向阳",
		"富强", "团结", "和平", "新华", "建国", "双河", "三合", "四合", "五一", "保安", "福兴", "东升", "新立", "丰收",
		"靠山", "榆树", "柳树", "二道河", "三道沟", "西山", "民主"}
	demoCommunityStems = []string{"胜利", "建设", "健康", "新村", "东山", "南山", "北山", "西山", "铁东", "铁西",
		"呼伦", "正阳", "阳光", "幸福", "光明", "和谐", "友谊", "团结", "河东", "林苑", "滨河", "北疆", "兴安", "育林"}
)

// demoUnit is a unit of the city government under the committee.
type demoUnitDef struct {
	name, short string
	profile     string // a key of demoProfiles
	size        int    // relative number of registered people
	youth       bool   // its league organisation runs one of the 13 youth teams
	league      bool   // has a league organisation without a youth team
}

// demoUnitDefs are the units, 市农牧业局 first so that it keeps the ids the
// earlier demo gave it (org 2, its team 1).
var demoUnitDefs = []demoUnitDef{
	{"市农牧业局", "市农牧业局", "agri", 210, true, false},
	{"市蒙医医院", "市蒙医医院", "mongolmed", 330, true, false},
	{"市文化新闻出版广电局", "市文新广局", "culture", 150, true, false},
	{"市司法局", "市司法局", "legal", 110, false, true},
	{"市卫生健康委员会", "市卫健委", "health", 120, true, false},
	{"市林业和草原局", "市林草局", "forest", 240, true, false},
	{"市教育局", "市教育局", "education", 170, true, false},
	{"市科学技术局", "市科技局", "scitech", 60, false, false},
	{"市民政局", "市民政局", "social", 110, true, false},
	{"市生态环境局", "市生态环境局", "environment", 90, true, false},
	{"市人民医院", "市人民医院", "medical", 560, true, false},
	{"市妇幼保健院", "市妇幼保健院", "medical", 190, false, true},
	{"市疾病预防控制中心", "市疾控中心", "health", 100, false, true},
	{"市动物疫病预防控制中心", "市动物疫控中心", "agri", 70, false, false},
	{"市农牧业科学研究所", "市农科所", "agri", 60, false, false},
	{"市畜牧工作站", "市畜牧工作站", "agri", 45, false, false},
	{"市草原工作站", "市草原工作站", "agri", 40, false, false},
	{"市农业技术推广中心", "市农技推广中心", "agri", 50, false, false},
	{"市水利局", "市水利局", "infrastructure", 80, false, false},
	{"市财政局", "市财政局", "economy", 110, false, false},
	{"市发展和改革委员会", "市发改委", "economy", 90, false, false},
	{"市人力资源和社会保障局", "市人社局", "social", 130, false, false},
	{"市自然资源局", "市自然资源局", "forest", 120, false, false},
	{"市住房和城乡建设局", "市住建局", "infrastructure", 110, false, true},
	{"市交通运输局", "市交通运输局", "infrastructure", 120, false, true},
	{"市商务局", "市商务局", "economy", 50, false, false},
	{"市体育局", "市体育局", "culture", 45, false, false},
	{"市审计局", "市审计局", "economy", 50, false, false},
	{"市统计局", "市统计局", "economy", 45, false, false},
	{"市应急管理局", "市应急管理局", "infrastructure", 60, false, false},
	{"市市场监督管理局", "市市场监管局", "economy", 160, false, true},
	{"市退役军人事务局", "市退役军人事务局", "social", 35, false, false},
	{"市医疗保障局", "市医保局", "health", 50, false, false},
	{"市扶贫开发办公室", "市扶贫办", "social", 30, false, false},
	{"市档案史志馆", "市档案史志馆", "culture", 30, false, false},
	{"市图书馆", "市图书馆", "culture", 40, false, false},
	{"市群众艺术馆", "市群艺馆", "culture", 45, false, false},
	{"呼伦贝尔民族博物院", "市民族博物院", "culture", 40, false, false},
	{"呼伦贝尔广播电视台", "市广播电视台", "media", 190, true, false},
	{"呼伦贝尔日报社", "市日报社", "media", 130, true, false},
	{"市气象局", "市气象局", "scitech", 60, false, false},
	{"市地震局", "市地震局", "scitech", 20, false, false},
	{"市城市管理综合执法局", "市城管执法局", "infrastructure", 100, false, false},
	{"市信访局", "市信访局", "legal", 30, false, false},
	{"市机关事务管理局", "市机关事务局", "economy", 55, false, false},
	{"市总工会", "市总工会", "social", 40, false, false},
	{"共青团呼伦贝尔市委员会", "团市委", "youth", 25, true, false},
	{"市妇女联合会", "市妇联", "social", 25, false, false},
	{"市科学技术协会", "市科协", "scitech", 30, true, false},
	{"市残疾人联合会", "市残联", "social", 30, false, false},
	{"市红十字会", "市红十字会", "social", 20, false, false},
	{"市工商业联合会", "市工商联", "economy", 20, false, false},
	{"市委宣传部", "市委宣传部", "party", 50, false, false},
	{"市委党校", "市委党校", "party", 80, false, true},
	{"市委政法委员会", "市委政法委", "legal", 40, false, false},
	{"市人民政府办公室", "市政府办", "economy", 90, false, false},
	{"市民族事务委员会", "市民委", "ethnic", 35, false, false},
	{"市供销合作社", "市供销社", "economy", 40, false, false},
	{"市委老干部局", "市委老干部局", "party", 30, false, false},
	{"市粮食局", "市粮食局", "economy", 45, false, false},
}

// demoProfile is what a kind of unit does: its people's skills (weighted),
// the categories its teams serve, its departments (party branches are named
// after them), and how its team describes itself.
type demoProfile struct {
	skills     string // "skill:weight …"
	categories []string
	depts      []string
	strength   string // 发挥……优势
	activity   string
	brand      string
	mongol     float64 // share of Mongolian names, when above the city's
}

var demoProfiles = map[string]demoProfile{
	"agri": {"兽医:30 畜牧养殖:30 疫病防治:20 农业技术:20 饲草种植:10 植保:8 农机维修:6 草原保护:6",
		[]string{"livestock", "disease_prevention", "scitech", "poverty_relief"},
		[]string{"办公室", "畜牧兽医科", "种植业科", "农机科", "科教科", "计划财务科"},
		"畜牧兽医、农业技术", "深入农区牧区开展科技蹲点，帮助农牧民解决养殖、防疫和种植中的技术问题", "科技蹲点", 0},
	"mongolmed": {"蒙医:40 蒙药:15 护理:25 针灸:10 健康宣教:10 全科医疗:8 康复理疗:6",
		[]string{"medical", "family_planning", "poverty_relief"},
		[]string{"蒙医内科", "蒙医骨伤科", "蒙药制剂中心", "针灸科", "护理部", "行政后勤"},
		"蒙医蒙药", "在牧业四旗苏木嘎查开展巡回义诊，送医送药上门", "走基层 惠百姓", 0.55},
	"medical": {"护理:35 全科医疗:25 急救:15 中医:10 健康宣教:12 药剂:6 检验:6 康复理疗:5 心理咨询:4",
		[]string{"medical", "family_planning", "poverty_relief"},
		[]string{"内科", "外科", "妇产科", "儿科", "护理部", "医技科室", "门诊部", "行政后勤"},
		"医疗卫生", "定期到社区、林区和牧区开展义诊、健康讲座和慢病随访", "健康直通车", 0},
	"health": {"健康宣教:25 计生咨询:20 疾病预防:20 护理:10 全科医疗:10 急救:8",
		[]string{"medical", "family_planning"},
		[]string{"办公室", "疾病预防控制科", "妇幼健康科", "基层卫生科", "医政医管科"},
		"公共卫生", "开展健康知识宣传、计生政策宣传和免费健康体检", "健康呼伦贝尔", 0},
	"legal": {"法律咨询:35 人民调解:20 普法宣讲:25 心理疏导:6",
		[]string{"legal", "party_education"},
		[]string{"办公室", "法治宣传科", "基层工作科", "公共法律服务科", "律师工作科"},
		"法律专业", "走进社区和嘎查开展法律咨询、矛盾调解和普法宣传", "法律明白人", 0},
	"culture": {"文艺演出:30 电影放映:15 摄影:15 书法:10 民族舞蹈:10 马头琴:6 长调:6 讲解:8 图书整理:6",
		[]string{"culture", "party_education"},
		[]string{"办公室", "艺术科", "文化市场科", "广播电视科", "新闻出版科", "公共服务科"},
		"文化文艺", "组织文化下乡，为基层群众进行文艺展演、放映免费电影、送书送戏", "文化下乡", 0.05},
	"media": {"摄影:25 摄像:20 播音主持:15 新闻写作:25 文艺演出:8",
		[]string{"culture", "party_education"},
		[]string{"总编室", "新闻部", "专题部", "技术部", "广告部", "行政办"},
		"新闻宣传", "深入基层采访报道，为群众拍摄全家福、开展媒介素养讲座", "新闻志愿行", 0},
	"forest": {"植树:35 森林防火:25 草原保护:15 林木病虫害防治:10 测绘:6 驾驶:8",
		[]string{"tree_planting", "environment", "scitech"},
		[]string{"办公室", "造林绿化科", "森林防火科", "草原管理科", "资源管理科"},
		"林业草原", "在林区和牧区开展植树造林、森林草原防火宣传和生态修复", "绿色家园", 0},
	"environment": {"环境监测:25 垃圾分类宣传:25 植树:20 驾驶:10",
		[]string{"environment", "tree_planting"},
		[]string{"办公室", "环境监测站", "执法支队", "污染防治科"},
		"生态环保", "开展环境整治、垃圾清运和生态环保知识宣传", "美丽乡村", 0},
	"education": {"支教:35 心理辅导:15 计算机:12 书法:8 体育教学:10 蒙古语授课:10",
		[]string{"scitech", "poverty_relief", "culture", "party_education"},
		[]string{"办公室", "基础教育科", "职业教育科", "教研室", "电教馆"},
		"教育资源", "到偏远苏木乡镇学校支教送课，资助困难学生", "爱心助学", 0.08},
	"scitech": {"科普讲解:35 计算机:25 气象服务:10 防震减灾宣传:10",
		[]string{"scitech"},
		[]string{"办公室", "科技推广科", "科普部", "业务科"},
		"科技人才", "开展科普宣传、实用技术培训和科技成果推广", "科普大篷车", 0},
	"social": {"扶贫帮困:30 助老助残:25 社会工作:20 就业指导:10 急救:6 心理咨询:6",
		[]string{"poverty_relief", "family_planning", "legal"},
		[]string{"办公室", "社会救助科", "社会事务科", "基层政权科", "权益保障科"},
		"社会服务", "走访慰问困难群众、孤寡老人和残疾人，开展帮扶救助", "暖心帮扶", 0},
	"party": {"宣讲:35 党务:25 理论宣讲:20 文字写作:15",
		[]string{"party_education"},
		[]string{"办公室", "理论科", "教研部", "组织科"},
		"理论宣传", "到基层党组织宣讲党的理论和政策，指导规范党组织生活", "理论宣讲进基层", 0},
	"economy": {"财务会计:25 统计分析:12 计算机:15 宣讲:10 驾驶:10",
		[]string{"poverty_relief", "party_education", "scitech"},
		[]string{"办公室", "综合科", "业务一科", "业务二科", "计划财务科"},
		"政策业务", "帮助基层解读惠民政策，开展结对帮扶和便民服务", "便民服务", 0},
	"infrastructure": {"电工:25 驾驶:20 水暖维修:15 应急救援:20 建筑施工:10 水利工程:8",
		[]string{"environment", "poverty_relief"},
		[]string{"办公室", "工程管理科", "安全监督科", "执法大队", "规划建设科"},
		"工程技术", "为困难群众维修水电暖、排查安全隐患，参与环境整治", "安居保障", 0},
	"youth": {"文艺演出:20 摄影:15 计算机:15 宣讲:15 组织策划:20",
		[]string{"culture", "poverty_relief", "environment"},
		[]string{"办公室", "青年发展部", "基层工作部"},
		"青年人才", "组织团员青年参加环境整治、关爱留守儿童和文化志愿服务", "青春志愿行", 0.1},
	"ethnic": {"蒙汉翻译:35 民族政策宣讲:25 宣讲:15",
		[]string{"party_education", "culture", "legal"},
		[]string{"办公室", "民族政策科", "语言文字科"},
		"民族工作", "用蒙汉双语宣讲民族政策，为牧民群众翻译和代办事务", "民族团结一家亲", 0.5},
}

// demoGeneralSkills are skills anyone may have besides their work's.
const demoGeneralSkills = "驾驶:30 摄影:12 计算机:15 宣讲:12 蒙汉翻译:8 俄语:3 急救:8 文字写作:10 电工:5 厨艺:4 文艺演出:6"

// demoSkillCategories maps a skill to the categories of service a person
// with it is most likely willing to serve in.
var demoSkillCategories = map[string][]string{
	"兽医": {"livestock", "disease_prevention"}, "畜牧养殖": {"livestock"}, "疫病防治": {"disease_prevention"},
	"农业技术": {"scitech", "poverty_relief"}, "饲草种植": {"livestock"}, "植保": {"scitech"},
	"农机维修": {"poverty_relief", "scitech"}, "草原保护": {"environment", "livestock"},
	"中医": {"medical"}, "蒙医": {"medical"}, "蒙药": {"medical"}, "护理": {"medical"}, "全科医疗": {"medical"},
	"急救": {"medical"}, "针灸": {"medical"}, "药剂": {"medical"}, "检验": {"medical"}, "康复理疗": {"medical"},
	"健康宣教": {"medical", "family_planning"}, "计生咨询": {"family_planning"}, "疾病预防": {"medical"},
	"心理咨询": {"medical", "poverty_relief"}, "心理疏导": {"legal"}, "心理辅导": {"poverty_relief"},
	"法律咨询": {"legal"}, "人民调解": {"legal"}, "普法宣讲": {"legal", "party_education"},
	"文艺演出": {"culture"}, "电影放映": {"culture"}, "摄影": {"culture"}, "摄像": {"culture"}, "书法": {"culture"},
	"民族舞蹈": {"culture"}, "马头琴": {"culture"}, "长调": {"culture"}, "讲解": {"culture"}, "图书整理": {"culture"},
	"播音主持": {"culture"}, "新闻写作": {"culture", "party_education"},
	"植树": {"tree_planting", "environment"}, "森林防火": {"tree_planting", "environment"},
	"林木病虫害防治": {"tree_planting"}, "测绘": {"scitech"}, "环境监测": {"environment"}, "垃圾分类宣传": {"environment"},
	"支教": {"poverty_relief", "scitech"}, "计算机": {"scitech"}, "体育教学": {"culture"}, "蒙古语授课": {"culture"},
	"科普讲解": {"scitech"}, "气象服务": {"scitech"}, "防震减灾宣传": {"scitech"},
	"扶贫帮困": {"poverty_relief"}, "助老助残": {"poverty_relief"}, "社会工作": {"poverty_relief"}, "就业指导": {"poverty_relief"},
	"宣讲": {"party_education"}, "党务": {"party_education"}, "理论宣讲": {"party_education"}, "文字写作": {"party_education"},
	"财务会计": {"poverty_relief"}, "统计分析": {"scitech"}, "电工": {"poverty_relief"}, "水暖维修": {"poverty_relief"},
	"建筑施工": {"poverty_relief"}, "应急救援": {"environment", "medical"}, "水利工程": {"environment"},
	"驾驶": {"poverty_relief", "environment"}, "蒙汉翻译": {"party_education", "legal"}, "俄语": {"culture"},
	"民族政策宣讲": {"party_education"}, "组织策划": {"culture"}, "厨艺": {"poverty_relief"},
}

// demoProfessional are skills that make a specialist of the talent pool.
var demoProfessional = map[string]bool{
	"兽医": true, "蒙医": true, "中医": true, "全科医疗": true, "针灸": true, "法律咨询": true, "农业技术": true,
	"林木病虫害防治": true, "环境监测": true, "心理咨询": true, "气象服务": true, "蒙药": true, "播音主持": true,
}

// Names. Weighted lists are "item:weight …".
const (
	demoHanSurnames = "王:70 李:70 张:65 刘:50 陈:35 杨:30 赵:25 孙:15 于:10 马:12 高:12 郭:10 黄:12 周:12 吴:12 " +
		"徐:10 胡:10 朱:10 韩:9 何:8 林:6 宋:8 郑:7 梁:7 董:7 冯:6 曹:6 程:5 姜:6 贾:5 魏:5 郝:5 白:5 崔:5 " +
		"谢:4 唐:4 许:5 吕:4 苏:4 丁:4 薛:4 杜:4 范:4 石:4 侯:4 孟:4 常:4 武:4 关:4 付:4 罗:4 袁:4 邓:3 " +
		"卢:3 蒋:3 蔡:3 阎:3 潘:3 姚:3 秦:3 史:3 乔:3 闫:3 齐:3 佟:3 孔:3 康:3 沈:3 彭:3 邵:2 隋:2 庞:2 纪:2 " +
		"尹:2 鲍:2 毛:2 叶:2 谭:2 戴:2 夏:2 陆:2 邹:2 金:4 那:2 富:1"
	demoMaleChars   = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林海峰亮东文博志建国庆春成立新永学德振兴宏晓云瑞天雷锋松柏岩阳昊然泽睿航铭轩"
	demoFemaleChars = "芳娜敏静丽艳娟霞燕玲桂英红梅莉婷雪琳洁颖倩慧萍兰佳欣悦怡晶璐丹蕾薇月秀凤琴妍涵雯茜蓉露楠宁晓春玉"
)

var (
	demoMongolMale = []string{"巴特尔", "额尔敦", "朝鲁", "宝音", "哈斯", "孟和", "巴雅尔", "阿拉坦", "呼和", "达来",
		"宝力道", "布仁", "额尔德木图", "特木尔", "吉日木图", "毕力格", "阿木尔", "乌力吉", "满都拉", "图门", "那日苏",
		"斯日古楞", "苏和", "巴图", "青格勒", "德力格尔", "达林太", "桑布", "哈斯巴根", "朝克图", "敖特根", "巴根那",
		"道尔吉", "扎那", "莫日根", "阿古达木", "乌日图", "格日乐图", "那顺", "白音", "苏德", "额尔敦巴特尔"}
	demoMongolFemale = []string{"其木格", "乌日娜", "苏日娜", "那仁", "萨仁", "图雅", "斯琴", "敖日格乐", "格日勒",
		"娜仁花", "乌兰", "其其格", "乌云", "萨日娜", "高娃", "塔娜", "托娅", "阿茹娜", "格根", "斯琴高娃", "乌云其木格",
		"额尔敦其其格", "萨仁高娃", "吉日嘎拉", "诺敏", "哈斯其木格", "苏布达", "萨如拉", "阿拉腾其其格", "乌仁"}
	demoMongolSurnames = []string{"包", "白", "宝", "韩", "金", "吴"}
	// Daur, Evenki and Oroqen people mostly carry Chinese-style given names
	// after surnames shortened from their clan names (敖拉 → 敖, 郭布勒 → 郭).
	demoDaurSurnames   = []string{"敖", "郭", "何", "孟", "苏", "吴", "金", "沃", "鄂", "德", "杜", "安"}
	demoEvenkiSurnames = []string{"杜", "涂", "何", "鄂", "卡", "那", "乌", "吴"}
	demoOroqenSurnames = []string{"莫", "关", "孟", "葛", "魏", "吴", "白"}
)

// demoPhonePrefixes start the demo's mobile numbers; every demo number is
// prefix + "0000" + four digits, a pattern that reads as made up.
var demoPhonePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
	"152", "153", "155", "156", "158", "159", "177", "180", "186", "187", "188", "189", "199"}

// demoForestFarms are forest farms (林场) by banner and town.
var demoForestFarms = [][3]string{
	{"牙克石市", "乌奴耳镇", "乌奴耳林场"}, {"牙克石市", "免渡河镇", "免渡河林场"}, {"牙克石市", "绰河源镇", "绰河源林场"},
	{"牙克石市", "图里河镇", "图里河林场"}, {"牙克石市", "博克图镇", "博克图林场"}, {"根河市", "阿龙山镇", "阿龙山林场"},
	{"根河市", "满归镇", "满归林场"}, {"根河市", "金河镇", "金河林场"}, {"根河市", "得耳布尔镇", "得耳布尔林场"},
	{"额尔古纳市", "莫尔道嘎镇", "莫尔道嘎林场"}, {"鄂伦春自治旗", "甘河镇", "甘河林场"},
	{"鄂伦春自治旗", "吉文镇", "吉文林场"}, {"鄂伦春自治旗", "大杨树镇", "大杨树林场"},
	{"鄂温克族自治旗", "红花尔基镇", "红花尔基林场"},
}

// demoFarms are state farms (农牧场) whose production teams order services.
var demoFarms = [][3]string{
	{"海拉尔区", "奋斗镇", "谢尔塔拉农牧场"}, {"陈巴尔虎旗", "宝日希勒镇", "特泥河农牧场"},
	{"陈巴尔虎旗", "呼和诺尔镇", "哈达图农牧场"}, {"额尔古纳市", "黑山头镇", "上库力农场"},
	{"额尔古纳市", "三河回族乡", "三河马场"}, {"额尔古纳市", "恩和俄罗斯族民族乡", "拉布大林农牧场"},
	{"扎兰屯市", "大河湾镇", "大河湾农场"}, {"牙克石市", "免渡河镇", "免渡河农牧场"},
	{"鄂伦春自治旗", "诺敏镇", "欧肯河农场"}, {"莫力达瓦达斡尔族自治旗", "宝山镇", "巴彦农场"},
	{"阿荣旗", "六合镇", "格尼河农场"}, {"扎兰屯市", "柴河镇", "绰尔河农场"},
}

// demoStations are the frontline stations (一线站所): a suffix and the
// profile of the unit that owns such stations.
var demoStations = []struct{ suffix, owner string }{
	{"畜牧兽医站", "市农牧业局"}, {"林业工作站", "市林业和草原局"}, {"司法所", "市司法局"},
	{"综合文化站", "市文化新闻出版广电局"}, {"中心卫生院", "市卫生健康委员会"},
}

// demoStreets are streets of Hailar, where the units sit.
var demoStreets = []string{"胜利大街", "中央街", "阿里河路", "巴尔虎大街", "南大街", "河东路", "学府路", "新建街",
	"贝尔大街", "团结路", "正阳街", "桥头大街"}

// demoTrainings are trainings, each with the skills or profile it suits
// ("" suits anyone).
var demoTrainings = []struct{ subject, profile string }{
	{"党员志愿服务骨干培训班", ""}, {"志愿服务基础知识培训", ""}, {"应急救护员培训", ""},
	{"新时代文明实践宣讲培训", "party"}, {"动物疫病防控技术培训", "agri"}, {"蒙医适宜技术推广培训", "mongolmed"},
	{"基层医疗卫生志愿服务培训", "medical"}, {"普法讲师团业务培训", "legal"}, {"森林草原防火培训", "forest"},
	{"基层文艺骨干培训", "culture"}, {"心理健康服务能力培训", "social"}, {"垃圾分类与环境保护培训", "environment"},
}

// demoRules are service rules, one group per clause; a team's rules take
// one variant of most clauses, in order. "{org}" is the leading
// organisation: 党组织 or 团组织.
var demoRules = [][]string{
	{"服务队在本单位{org}领导下开展工作，队长负责日常管理，每季度向{org}报告工作。",
		"服务队实行队长负责制，队长由{org}推选，副队长协助队长工作。"},
	{"队员每年参加志愿服务活动不少于4次，累计服务时间不少于24小时。",
		"队员每季度至少参加1次志愿服务活动，全年服务时间不少于20小时。"},
	{"服务活动实行群众点单、组织派单、队伍接单制度，接到工委派单后2个工作日内答复。",
		"服务队根据基层点单和工委派单开展组团服务，无正当理由不得拒绝接单。"},
	{"每次活动如实登记签到签退、服务时长和服务成效，按要求填写服务队台帐。",
		"活动结束后3日内上报服务记录和成效，照片和签到表存入服务队档案。"},
	{"严守群众纪律，不收受服务对象任何财物，不增加基层负担。",
		"服务中尊重当地风俗习惯和群众意愿，注意交通和人身安全。"},
	{"年终开展优秀志愿者评选，服务情况作为{review}和评先评优的重要依据。",
		"服务情况纳入年度考核，对表现突出的队员予以表扬。"},
}
