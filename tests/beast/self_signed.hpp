// Test helper: a self-signed certificate for 127.0.0.1 and its key, made with OpenSSL at run time, in PEM files.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_BEAST_SELF_SIGNED_HPP
#define RTNOTIFY_TESTS_BEAST_SELF_SIGNED_HPP

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

namespace rtnotify_test {

/// A certificate (CA:TRUE, subjectAltName IP:127.0.0.1, valid for an hour) and its EC P-256 key, as PEM files in a
/// temporary directory removed with this object.
class self_signed
{
public:
    self_signed()
    {
        dir_ = std::filesystem::temp_directory_path() / ("rtnotify-tls-" + std::to_string(std::random_device()()));
        std::filesystem::create_directories(dir_);
        std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
        std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
        X509_set_version(x.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(x.get()), static_cast<long>(std::random_device()() & 0x7fffffff));
        X509_gmtime_adj(X509_getm_notBefore(x.get()), -60);
        X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
        X509_set_pubkey(x.get(), key.get());
        X509_NAME* name = X509_get_subject_name(x.get());
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<unsigned char const*>("127.0.0.1"), -1, -1, 0);
        X509_set_issuer_name(x.get(), name);
        X509V3_CTX v3;
        X509V3_set_ctx_nodb(&v3);
        X509V3_set_ctx(&v3, x.get(), x.get(), nullptr, nullptr, 0);
        for(auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}})
        {
            X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
            X509_add_ext(x.get(), ext, -1);
            X509_EXTENSION_free(ext);
        }
        X509_sign(x.get(), key.get(), EVP_sha256());
        write(certificate_file(), [&](FILE* f) { PEM_write_X509(f, x.get()); });
        write(key_file(), [&](FILE* f) { PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
    }

    self_signed(self_signed const&) = delete;
    self_signed& operator=(self_signed const&) = delete;

    ~self_signed()
    {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    /// The certificate, PEM.
    std::string certificate_file() const { return (dir_ / "cert.pem").string(); }
    /// Its private key, PEM.
    std::string key_file() const { return (dir_ / "key.pem").string(); }
    /// The directory both are in (for other files of a test).
    std::filesystem::path const& directory() const { return dir_; }

private:
    template<class Write>
    static void write(std::string const& path, Write w)
    {
        FILE* f = std::fopen(path.c_str(), "w");
        w(f);
        std::fclose(f);
    }

    std::filesystem::path dir_;
};

} // namespace rtnotify_test

#endif
