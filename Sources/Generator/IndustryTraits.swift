/// How an industry shapes an enterprise's records: its share of registrations, the words in company
/// names, which licences it needs, what gets inspected and complained about.
///
/// All of this is our modelling choice, informed by how registrations spread in a coastal province:
/// wholesale and retail are the largest groups, then business services, manufacturing, construction,
/// catering and IT. Public administration (S) and international organisations (T) are not enterprises'
/// trades: they occur only as rare miscoded registrations (about 10 per 100,000 each).
struct IndustryTraits: Sendable {
    var weight: Double
    /// Business words used in names (商贸, 餐饮 …); one is picked per enterprise.
    var keywords: [String]
    /// Licences enterprises of this industry hold, each with the share that holds it.
    var licences: [(LicenceType, Double)] = []
    /// Items an inspection of this industry covers besides licence and annual-report checks.
    var inspectionItems: [InspectionItem] = [.advertising, .trademark]
    /// Complaints per year relative to the average enterprise (consumer-facing trades get more).
    var complaintFactor: Double = 0.4
    var complaintCategories: [ComplaintCategory] = [.quality, .contract, .service]
    /// Sectors whose joint-punishment black list an enterprise of this industry can land on.
    var blackSectors: [CreditSector] = [.labour, .finance]
    /// Revenue per employee relative to the average (万元 a year; wholesale turns over far more).
    var revenueFactor: Double = 1
    /// Whether individual businesses (个体工商户) register in this trade.
    var smallTrade = false

    /// Traits for a GB/T 4754-2017 division code such as `C13`.
    static func of(code: String, section: String) -> IndustryTraits {
        let division = Int(code.dropFirst()) ?? 0
        var t = IndustryTraits(weight: 0.3, keywords: ["实业"])
        switch section {
        case "A":
            t.weight = 0.6
            t.keywords = ["农业科技", "种植", "生态农业"]
            t.smallTrade = true
            t.blackSectors = [.environment, .labour]
            t.revenueFactor = 0.6
            if division == 3 { t.keywords = ["畜牧", "养殖"] }
            if division == 4 { t.keywords = ["水产", "渔业"] }
            if division == 2 { t.keywords = ["林业", "苗木"] }
        case "B":
            t.weight = 0.12
            t.keywords = ["矿业", "石材"]
            t.blackSectors = [.safety, .environment, .labour]
            t.inspectionItems = [.specialEquipment, .productQuality]
            t.licences = [(.hazardousChemicals, 0.15), (.specialEquipment, 0.2)]
            t.revenueFactor = 1.5
        case "C":
            t.weight = 0.45
            t.keywords = ["制造", "科技", "工贸"]
            t.inspectionItems = [.productQuality, .trademark, .specialEquipment]
            t.blackSectors = [.environment, .safety, .labour, .customs]
            t.licences = [(.industrialProduct, 0.1), (.specialEquipment, 0.05)]
            t.revenueFactor = 1.5
            t.complaintCategories = [.quality, .contract]
            t.complaintFactor = 0.25
        case "D":
            t.weight = 0.15
            t.keywords = ["能源", "热力"]
            t.blackSectors = [.safety, .environment]
            t.inspectionItems = [.specialEquipment, .pricing]
            t.licences = [(.specialEquipment, 0.3)]
            t.revenueFactor = 2
            t.complaintCategories = [.price, .service]
        case "E":
            t.weight = 2.2
            t.keywords = ["建筑工程", "建设"]
            t.blackSectors = [.labour, .safety, .environment]
            t.inspectionItems = [.productQuality, .advertising]
            t.revenueFactor = 1.2
            t.complaintCategories = [.quality, .contract]
            t.complaintFactor = 0.5
        case "F":
            t.weight = 14
            t.keywords = ["商贸", "贸易"]
            t.smallTrade = true
            t.inspectionItems = [.pricing, .advertising, .trademark, .productQuality]
            t.blackSectors = [.customs, .tax, .finance]
            t.complaintFactor = 1.2
            t.complaintCategories = [.quality, .price, .contract, .advertising, .service]
        case "G":
            t.weight = 0.5
            t.keywords = ["物流", "运输"]
            t.blackSectors = [.transport, .safety, .labour]
            t.inspectionItems = [.pricing, .specialEquipment]
            t.complaintCategories = [.service, .contract, .price]
            t.complaintFactor = 0.6
        case "H":
            t.weight = 3
            t.keywords = ["餐饮", "酒店"]
            t.smallTrade = true
            t.inspectionItems = [.foodSafety, .pricing, .advertising]
            t.licences = [(.foodBusiness, 0.85)]
            t.complaintFactor = 2.5
            t.complaintCategories = [.foodSafety, .service, .price]
            t.blackSectors = [.safety, .labour]
            t.revenueFactor = 0.5
        case "I":
            t.weight = 2
            t.keywords = ["信息技术", "网络科技", "软件"]
            t.inspectionItems = [.advertising, .trademark, .pricing]
            t.complaintCategories = [.service, .contract, .advertising]
            t.complaintFactor = 0.5
            t.revenueFactor = 1.1
        case "J":
            t.weight = 0.2
            t.keywords = ["投资管理", "融资担保"]
            t.blackSectors = [.finance, .tax]
            t.inspectionItems = [.advertising]
            t.complaintCategories = [.contract, .service, .advertising]
            t.revenueFactor = 2
        case "K":
            t.weight = 1
            t.keywords = ["置业", "房地产开发"]
            t.blackSectors = [.finance, .labour, .tax]
            t.inspectionItems = [.advertising, .pricing]
            t.complaintCategories = [.contract, .quality, .advertising]
            t.complaintFactor = 1.2
            t.revenueFactor = 3
        case "L":
            t.weight = 1.5
            t.keywords = ["商务咨询", "企业管理", "广告"]
            t.inspectionItems = [.advertising, .trademark]
            t.complaintCategories = [.contract, .service, .advertising]
            t.revenueFactor = 0.8
        case "M":
            t.weight = 1.8
            t.keywords = ["科技", "检测技术", "工程设计"]
            t.inspectionItems = [.advertising, .trademark]
            t.complaintCategories = [.service, .contract]
            t.revenueFactor = 0.9
        case "N":
            t.weight = 0.35
            t.keywords = ["环保科技", "园林绿化"]
            t.blackSectors = [.environment, .labour]
            t.complaintCategories = [.service, .contract]
        case "O":
            t.weight = 1.5
            t.keywords = ["家政服务", "汽车维修", "美容美发"]
            t.smallTrade = true
            t.inspectionItems = [.pricing, .advertising]
            t.complaintFactor = 1.8
            t.complaintCategories = [.service, .price, .quality]
            t.revenueFactor = 0.4
        case "P":
            t.weight = 0.5
            t.keywords = ["教育咨询", "培训学校"]
            t.smallTrade = true
            t.inspectionItems = [.advertising, .pricing]
            t.complaintFactor = 1.5
            t.complaintCategories = [.contract, .service, .advertising, .price]
            t.revenueFactor = 0.5
        case "Q":
            t.weight = 0.3
            t.keywords = ["医疗", "健康管理"]
            t.inspectionItems = [.advertising, .pricing]
            t.licences = [(.medicalDevice, 0.25), (.drugRetail, 0.2)]
            t.complaintFactor = 1.2
            t.complaintCategories = [.service, .price, .advertising]
        case "R":
            t.weight = 0.5
            t.keywords = ["文化传媒", "文化艺术", "体育发展"]
            t.smallTrade = true
            t.inspectionItems = [.advertising, .trademark, .pricing]
            t.complaintCategories = [.service, .advertising, .price]
            t.complaintFactor = 0.7
            t.revenueFactor = 0.6
        default:
            t.weight = 0
        }
        t.refine(division: division)
        return t
    }

    /// Division-level detail where a section is too coarse.
    private mutating func refine(division: Int) {
        switch division {
        case 13, 14, 15:
            weight = 1.2
            keywords = division == 15 ? ["酒业", "饮品", "茶业"] : ["食品", "粮油", "调味品"]
            licences = [(.foodProduction, 0.9)]
            inspectionItems = [.foodSafety, .productQuality, .advertising, .trademark]
            complaintCategories = [.foodSafety, .quality, .advertising]
            complaintFactor = 0.8
        case 16:
            weight = 0.02
            keywords = ["烟草"]
        case 17, 18, 19:
            weight = 0.6
            keywords = ["纺织", "服饰", "鞋业"]
        case 25:
            weight = 0.15
            keywords = ["石化", "燃料"]
            licences = [(.hazardousChemicals, 0.7), (.industrialProduct, 0.3)]
        case 26:
            weight = 0.6
            keywords = ["化工", "新材料"]
            licences = [(.hazardousChemicals, 0.6), (.industrialProduct, 0.3)]
        case 27:
            weight = 0.25
            keywords = ["制药", "生物科技"]
            licences = [(.medicalDevice, 0.3)]
            inspectionItems = [.productQuality, .advertising, .trademark]
        case 29:
            weight = 0.5
            keywords = ["塑胶", "橡胶制品"]
            licences = [(.industrialProduct, 0.35)]
        case 30:
            weight = 0.6
            keywords = ["建材", "新型建材"]
            licences = [(.industrialProduct, 0.4)]
        case 33, 34, 35:
            weight = 0.9
            keywords = ["机械", "装备", "金属制品"]
            licences = [(.specialEquipment, 0.25), (.industrialProduct, 0.2)]
            inspectionItems = [.productQuality, .specialEquipment, .trademark]
        case 36, 37:
            weight = 0.35
            keywords = ["汽车零部件", "车辆装备"]
            licences = [(.industrialProduct, 0.3)]
        case 38, 39:
            weight = 0.6
            keywords = ["电气", "电子科技"]
            licences = [(.industrialProduct, 0.25)]
        case 42:
            weight = 0.3
            keywords = ["再生资源"]
            blackSectors = [.environment, .tax]
        case 43:
            weight = 0.3
            keywords = ["设备维修"]
            licences = [(.specialEquipment, 0.4)]
        case 45:
            keywords = ["燃气"]
            licences = [(.hazardousChemicals, 0.5), (.specialEquipment, 0.6)]
        case 46: keywords = ["水务"]
        case 49:
            keywords = ["安装工程", "机电设备安装"]
            licences = [(.specialEquipment, 0.4)]
        case 50:
            weight = 3
            keywords = ["装饰工程", "装饰设计"]
            complaintFactor = 1.0
        case 51:
            weight = 20
            keywords = ["商贸", "贸易", "供应链", "进出口"]
            licences = [
                (.foodBusiness, 0.2), (.medicalDevice, 0.05), (.hazardousChemicals, 0.03), (.drugRetail, 0.01),
            ]
            revenueFactor = 3
            complaintFactor = 0.6
            complaintCategories = [.quality, .contract, .price]
        case 52:
            weight = 16
            keywords = ["超市", "便利店", "百货", "药房", "五金"]
            licences = [(.foodBusiness, 0.45), (.drugRetail, 0.08), (.medicalDevice, 0.08)]
            inspectionItems = [.pricing, .foodSafety, .productQuality, .advertising, .trademark]
            revenueFactor = 1.5
            complaintFactor = 2
            complaintCategories = [.quality, .price, .foodSafety, .service, .advertising]
        case 53, 55, 56, 57: weight = 0.1
        case 54:
            weight = 2
            keywords = ["物流", "运输", "货运"]
        case 58:
            weight = 0.6
            keywords = ["国际货运代理", "物流"]
            blackSectors = [.customs, .transport]
        case 59:
            weight = 0.5
            keywords = ["仓储", "仓储物流"]
        case 60:
            weight = 0.3
            keywords = ["快递"]
        case 61:
            weight = 1
            keywords = ["酒店", "宾馆"]
            licences = [(.foodBusiness, 0.3)]
            inspectionItems = [.pricing, .advertising, .foodSafety]
        case 62:
            weight = 5
            keywords = ["餐饮", "饭店", "小吃"]
        case 63:
            weight = 0.2
            keywords = ["通信工程"]
        case 64:
            weight = 1.5
            keywords = ["网络科技", "电子商务"]
        case 65:
            weight = 3
            keywords = ["信息技术", "软件", "智能科技"]
        case 66, 68: weight = 0.05
        case 69:
            weight = 0.25
            keywords = ["融资租赁", "金融信息服务"]
        case 71:
            weight = 0.8
            keywords = ["租赁", "设备租赁"]
        case 72:
            weight = 10
            keywords = ["商务咨询", "企业管理", "广告", "人力资源", "会展服务"]
        case 73:
            weight = 0.8
            keywords = ["科技研发", "生物科技"]
        case 74:
            weight = 2.5
            keywords = ["检测技术", "工程设计", "测绘"]
        case 75:
            weight = 3.5
            keywords = ["科技", "新能源科技", "农业科技"]
        case 76:
            weight = 0.1
            keywords = ["水利工程"]
        case 77:
            weight = 0.5
            keywords = ["环保科技", "环境工程"]
        case 78:
            weight = 0.4
            keywords = ["园林绿化", "市政工程"]
        case 79:
            weight = 0.05
            keywords = ["土地整理"]
        case 80:
            weight = 3
            keywords = ["家政服务", "美容美发", "洗浴"]
        case 81:
            weight = 1.5
            keywords = ["汽车维修", "家电维修"]
            licences = [(.specialEquipment, 0.03)]
        case 82:
            weight = 1
            keywords = ["服务"]
        case 84:
            weight = 0.8
            keywords = ["诊所", "医疗器械", "健康管理"]
        case 85:
            weight = 0.2
            keywords = ["养老服务", "社会服务"]
            licences = [(.foodBusiness, 0.3)]
        case 86, 87:
            weight = 0.3
            keywords = ["文化传媒", "影视传媒"]
        case 89:
            weight = 0.4
            keywords = ["体育发展", "健身"]
        case 90:
            weight = 0.4
            keywords = ["娱乐", "文化娱乐"]
        case 91...97:
            // Not enterprises' trades: present only as rare miscoded registrations, as in real registries.
            weight = 0.01
            keywords = ["服务"]
        default: break
        }
    }
}
