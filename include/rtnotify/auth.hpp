// Umbrella header of authentication: JSON Web Tokens, password hashes, the security configuration, login limits.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_HPP
#define RTNOTIFY_AUTH_HPP

/// Authentication (target `rtnotify::auth`, which brings OpenSSL's libcrypto and libcrypt).

#include <rtnotify/auth/authenticator.hpp>
#include <rtnotify/auth/base64url.hpp>
#include <rtnotify/auth/basic_credentials.hpp>
#include <rtnotify/auth/config_reader.hpp>
#include <rtnotify/auth/jwt.hpp>
#include <rtnotify/auth/login_limiter.hpp>
#include <rtnotify/auth/password.hpp>
#include <rtnotify/auth/rights.hpp>
#include <rtnotify/auth/security_config.hpp>

#endif
