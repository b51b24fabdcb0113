// Password hashes with libcrypt (yescrypt, bcrypt, SHA-crypt): making one, and checking a password against one.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_PASSWORD_HPP
#define RTNOTIFY_AUTH_PASSWORD_HPP

#include <crypt.h>

#include <openssl/crypto.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rtnotify::auth {

/// Passwords longer than this are refused (slow hashes take time in proportion to some inputs).
inline constexpr std::size_t max_password_bytes = 1024;

/** A new hash of `password` (`$y$…`, yescrypt, libcrypt's default; `prefix`
    picks another method, `$2b$` bcrypt), with a random salt; nothing when
    libcrypt cannot make one or the password is too long or holds a NUL.
*/
inline std::optional<std::string> hash_password(std::string_view password, char const* prefix = "$y$")
{
    if(password.size() > max_password_bytes || password.find('\0') != std::string_view::npos)
        return std::nullopt;
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if(!crypt_gensalt_rn(prefix, 0, nullptr, 0, setting, sizeof setting))
        return std::nullopt;
    auto data = std::make_unique<crypt_data>();
    std::string const text(password);
    char const* out = crypt_r(text.c_str(), setting, data.get());
    if(!out || out[0] == '*')
        return std::nullopt;
    return std::string(out);
}

/** Whether `hash` names a method and salt libcrypt checks passwords with and
    does not call weak (`$y$`, `$2b$`, `$6$`; not DES, MD5 or NT): a check of
    the setting, without hashing anything.
*/
inline bool is_password_hash(std::string_view hash)
{
    if(hash.size() < 4 || hash[0] != '$' || hash.find('\0') != std::string_view::npos)
        return false;
    std::string const h(hash);
    return crypt_checksalt(h.c_str()) == CRYPT_SALT_OK;
}

/** Whether `password` hashes to `hash`: libcrypt hashes it with the method
    and salt `hash` names, and the results are compared in constant time.
*/
inline bool verify_password(std::string_view password, std::string_view hash)
{
    if(password.size() > max_password_bytes || password.find('\0') != std::string_view::npos ||
       hash.find('\0') != std::string_view::npos)
        return false;
    auto data = std::make_unique<crypt_data>();
    std::string const p(password), h(hash);
    char const* out = crypt_r(p.c_str(), h.c_str(), data.get());
    if(!out || out[0] == '*')
        return false;
    auto const n = std::strlen(out);
    return n == h.size() && CRYPTO_memcmp(out, h.data(), n) == 0;
}

} // namespace rtnotify::auth

#endif
