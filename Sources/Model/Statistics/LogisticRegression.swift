import Foundation

/// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares).
///
/// Minimises −Σ log-likelihood + λ/2 · Σ βⱼ² over the coefficients, the intercept not penalised. Each step
/// solves (XᵀWX + λI) Δ = Xᵀ(y − p) − λβ by Cholesky; k is a few dozen at most, so the k×k solve is cheap.
public struct LogisticRegression: Sendable, Codable, Equatable {
    public var intercept: Double
    public var coefficients: [Double]
    public var iterations: Int

    /// - Parameter rows: one feature vector per unit, all of the same length.
    public static func fit(rows: [[Double]], outcomes: [Bool], lambda: Double = 1, maxIterations: Int = 50) -> LogisticRegression {
        let k = (rows.first?.count ?? 0) + 1
        var beta = [Double](repeating: 0, count: k)
        let positives = Double(outcomes.filter { $0 }.count)
        let n = Double(outcomes.count)
        if positives > 0 && positives < n { beta[0] = log(positives / (n - positives)) }
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            var hessian = [Double](repeating: 0, count: k * k)
            var gradient = [Double](repeating: 0, count: k)
            var x = [Double](repeating: 1, count: k)
            for (r, row) in rows.enumerated() {
                for j in 0..<(k - 1) { x[j + 1] = row[j] }
                var eta = 0.0
                for j in 0..<k { eta += beta[j] * x[j] }
                let p = 1 / (1 + exp(-eta))
                let w = p * (1 - p)
                let residual = (outcomes[r] ? 1 : 0) - p
                for a in 0..<k {
                    gradient[a] += x[a] * residual
                    let wa = w * x[a]
                    for b in a..<k { hessian[a * k + b] += wa * x[b] }
                }
            }
            for a in 0..<k { for b in 0..<a { hessian[a * k + b] = hessian[b * k + a] } }
            for j in 1..<k {
                hessian[j * k + j] += lambda
                gradient[j] -= lambda * beta[j]
            }
            // A tiny ridge on the intercept keeps the system solvable when a class is absent.
            hessian[0] += 1e-9
            guard let step = Cholesky.solve(hessian, gradient, k) else { break }
            var largest = 0.0
            for j in 0..<k {
                beta[j] += step[j]
                largest = max(largest, abs(step[j]))
            }
            if largest < 1e-9 { break }
        }
        return LogisticRegression(intercept: beta[0], coefficients: Array(beta.dropFirst()), iterations: iteration)
    }

    public func linear(_ row: [Double]) -> Double {
        var eta = intercept
        for (b, x) in zip(coefficients, row) { eta += b * x }
        return eta
    }

    public func probability(_ row: [Double]) -> Double { 1 / (1 + exp(-linear(row))) }
}

/// Solves A x = b for a symmetric positive-definite A (row-major k×k).
enum Cholesky {
    static func solve(_ a: [Double], _ b: [Double], _ k: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in 0...i {
                var s = a[i * k + j]
                for m in 0..<j { s -= l[i * k + m] * l[j * k + m] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * k + i] = s.squareRoot()
                } else {
                    l[i * k + j] = s / l[j * k + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: k)
        for i in 0..<k {
            var s = b[i]
            for m in 0..<i { s -= l[i * k + m] * y[m] }
            y[i] = s / l[i * k + i]
        }
        var x = [Double](repeating: 0, count: k)
        for i in stride(from: k - 1, through: 0, by: -1) {
            var s = y[i]
            for m in (i + 1)..<k { s -= l[m * k + i] * x[m] }
            x[i] = s / l[i * k + i]
        }
        return x
    }
}
