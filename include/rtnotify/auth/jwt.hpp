// JSON Web Tokens signed with HMAC-SHA256 (RFC 7519, "HS256"): signing and checking, clock passed in.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_JWT_HPP
#define RTNOTIFY_AUTH_JWT_HPP

#include <rtnotify/auth/base64url.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/result.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace rtnotify::auth {

/// Why a token was refused.
enum class jwt_errc
{
    too_long = 1,          ///< over `jwt_hs256::max_token_bytes`
    malformed,             ///< not three dot-separated parts
    bad_base64,            ///< a part is not base64url
    bad_json,              ///< the header or the claims are not a JSON object
    unsupported_algorithm, ///< `alg` is not HS256 (`none` included), or the header has `crit`
    bad_signature,         ///< the signature does not match
    bad_claims,            ///< `exp`, `nbf` or `iat` is not an integer
    expired,               ///< `exp` is past
    not_yet_valid,         ///< `nbf` is ahead
};

/// A refused token: why, where (the byte of the token at fault) and a sentence.
struct jwt_error
{
    jwt_errc code = jwt_errc::malformed;
    std::size_t offset = 0;
    std::string message;

    std::string to_string() const { return message + " (at byte " + std::to_string(offset) + ")"; }
};

/** Signs and checks JSON Web Tokens with HMAC-SHA256 (OpenSSL).

    Only HS256 is accepted, whatever the header says: `none` and every
    other algorithm are refused, so a token cannot choose how it is checked.
    The signature is compared in constant time. Times are seconds since
    the epoch, passed in.
*/
class jwt_hs256
{
public:
    /// Tokens longer than this are refused before any work.
    static constexpr std::size_t max_token_bytes = 8192;

    /// A signer with `secret` as the HMAC key (at least 32 bytes is the sensible choice; the config loader insists).
    explicit jwt_hs256(std::string secret) : secret_(std::move(secret)) {}

    /** The token for `claims` (finite numbers only, as JSON has; nested at most 16 deep, as `verify` reads
        them): header `{"alg":"HS256","typ":"JWT"}`, the claims as given. */
    std::string sign(boost::json::object const& claims) const
    {
        auto text = base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + '.' + base64url_encode(boost::json::serialize(claims));
        auto const mac = hmac(text);
        return text + '.' + base64url_encode(mac);
    }

    /** The claims of `token` if its signature is this signer's and, at
        `now_s`, it is not expired (`exp` ≤ now) nor ahead (`nbf` > now).
    */
    boost::system::result<boost::json::object, jwt_error> verify(std::string_view token, std::int64_t now_s) const
    {
        if(token.size() > max_token_bytes)
            return jwt_error{jwt_errc::too_long, max_token_bytes, "The token is longer than " + std::to_string(max_token_bytes) + " bytes"};
        auto const dot1 = token.find('.');
        auto const dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
        if(dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
            return jwt_error{jwt_errc::malformed, dot1 == std::string_view::npos ? token.size() : dot1,
                             "A token has three parts separated by dots"};
        auto const header = part(token, 0, dot1, "header");
        if(!header)
            return header.error();
        auto const h = header->if_contains("alg");
        if(!h || *h != "HS256" || header->contains("crit"))
            return jwt_error{jwt_errc::unsupported_algorithm, 0, "Only HS256 tokens without \"crit\" are accepted"};
        auto const signature = base64url_decode(token.substr(dot2 + 1));
        auto const mac = hmac(token.substr(0, dot2));
        if(!signature || signature->size() != mac.size() ||
           CRYPTO_memcmp(signature->data(), mac.data(), mac.size()) != 0)
            return jwt_error{jwt_errc::bad_signature, dot2 + 1, "The signature does not match"};
        auto claims = part(token, dot1 + 1, dot2, "claims");
        if(!claims)
            return claims.error();
        for(auto const* name : {"exp", "nbf", "iat"})
            if(auto const* v = claims->if_contains(name); v && !v->is_int64() && !v->is_uint64())
                return jwt_error{jwt_errc::bad_claims, dot1 + 1, std::string("The claim \"") + name + "\" is not an integer"};
        if(auto const* exp = claims->if_contains("exp"); exp && exp->to_number<double>() <= static_cast<double>(now_s))
            return jwt_error{jwt_errc::expired, dot1 + 1, "The token expired"};
        if(auto const* nbf = claims->if_contains("nbf"); nbf && nbf->to_number<double>() > static_cast<double>(now_s))
            return jwt_error{jwt_errc::not_yet_valid, dot1 + 1, "The token is not valid yet"};
        return claims;
    }

private:
    /// HMAC-SHA256 of `text` with the secret.
    std::string hmac(std::string_view text) const
    {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
             reinterpret_cast<unsigned char const*>(text.data()), text.size(), out, &n);
        return std::string(reinterpret_cast<char const*>(out), n);
    }

    /// The JSON object in base64url in `token[from, to)`.
    static boost::system::result<boost::json::object, jwt_error> part(std::string_view token, std::size_t from,
                                                                      std::size_t to, char const* what)
    {
        std::size_t bad = 0;
        auto const bytes = base64url_decode(token.substr(from, to - from), &bad);
        if(!bytes)
            return jwt_error{jwt_errc::bad_base64, from + bad, std::string("The ") + what + " is not base64url"};
        boost::json::parse_options po;
        po.max_depth = 16;
        boost::system::error_code ec;
        auto v = boost::json::parse(*bytes, ec, {}, po);
        if(ec || !v.is_object())
            return jwt_error{jwt_errc::bad_json, from, std::string("The ") + what + " is not a JSON object"};
        return std::move(v.as_object());
    }

    std::string secret_;
};

} // namespace rtnotify::auth

#endif
