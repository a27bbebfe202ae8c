/// Word lists for plausible Chinese names and addresses.
///
/// Names are built from parts (surname + given name; city + trade name + business word + legal form),
/// so that a few hundred words give hundreds of thousands of distinct, realistic-looking names.
enum ChineseText {
    /// The most common surnames, most frequent first (drawn with a bias toward the front).
    static let surnames: [String] = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    ).map(String.init)

    static let givenNameCharacters: [String] = Array(
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志林文波斌宇浩凯健俊帆帅旭宁龙飞鑫亮成峰晨阳欣怡佳琳雪婷倩颖慧瑶璐晓东海岩庆春梅兰凤丹薇振宏德福祥瑞"
    ).map(String.init)

    /// First and second characters of trade names (字号): 华泰, 鑫源, 恒达 …
    static let tradeFirst: [String] = Array("华泰鑫恒信德瑞宏兴盛丰源达通海天金鼎博嘉联润安康永汇中新正祥齐鲁泉东").map(String.init)
    static let tradeSecond: [String] = Array("泰达盛源昌隆辉宇诚丰晟鸿远和合创力邦禾悦晖峰阳川信航晨众益锦泽瀚").map(String.init)

    static let roadWords: [String] = [
        "人民", "解放", "建设", "和平", "胜利", "文化", "新华", "泰山", "黄河", "长江", "青年", "工业", "经济",
        "振兴", "育才", "府前", "滨河", "东风", "光明", "幸福", "花园", "中心", "开发", "科技", "兴业", "朝阳",
    ]
    static let roadSuffixes: [String] = ["路", "路", "街", "大街", "大道", "东路", "西路", "南路", "北路"]
    static let buildingWords: [String] = ["商务大厦", "国际大厦", "科技园", "创业中心", "商业广场", "金融中心", "工业园"]
    static let villageWords: [String] = ["镇", "街道", "乡"]

    /// A person's name: a common surname and one or two given-name characters.
    static func personName(_ random: inout Random) -> String {
        // Squaring the unit draw favours the most common surnames, as in the population.
        let u = random.unit()
        var name = surnames[min(surnames.count - 1, Int(u * u * Double(surnames.count)))]
        name += random.element(givenNameCharacters)
        if random.chance(0.7) { name += random.element(givenNameCharacters) }
        return name
    }

    static func tradeName(_ random: inout Random) -> String {
        random.element(tradeFirst) + random.element(tradeSecond)
    }

    /// 泉城路123号, 人民东路45号科技园3号楼1205室, 建设镇兴业街8号 …
    static func street(_ random: inout Random, rural: Bool) -> String {
        var s = ""
        if rural && random.chance(0.5) {
            s += random.element(roadWords) + random.element(villageWords)
        }
        s += random.element(roadWords) + random.element(roadSuffixes) + "\(random.int(1...999))号"
        if !rural && random.chance(0.45) {
            s +=
                random.element(buildingWords)
                + "\(random.int(1...12))号楼\(random.int(1...28) * 100 + random.int(1...20))室"
        }
        return s
    }
}
