import DigiTagBase
/// The sign-in form. The same message for an unknown name and a wrong password, so the page never tells
/// which names exist.
enum LoginPage {
    static let failed = "用户名或密码错误 Wrong user name or password"
    static let locked = "尝试次数过多，请稍后再试 Too many failed attempts: try again later"

    static func html(message: String?, loginToken: String) -> String {
        HTML.page(
            title: "登录 Sign in", session: nil,
            body: """
                <h1>登录 Sign in</h1>
                \(message.map { "<p class=\"error\">\(HTMLText.escape($0))</p>" } ?? "")
                <form method="post" action="/login">
                <input type="hidden" name="csrf_token" value="\(HTMLText.escape(loginToken))">
                <p><label>用户名 User <input name="user" autocomplete="username" required></label></p>
                <p><label>密码 Password <input name="password" type="password" autocomplete="current-password" required></label></p>
                <p><button>登录 Sign in</button></p>
                </form>
                """)
    }
}
