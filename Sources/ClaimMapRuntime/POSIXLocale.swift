import Foundation

/// The locale numbers are read in (`.` as the decimal separator, whatever the machine's locale), made once.
public enum POSIXLocale {
    public static let shared = Locale(identifier: "en_US_POSIX")
}
