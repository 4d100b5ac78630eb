#include "exporters/digest.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>

namespace thornwood::exporters {

namespace {

struct Context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(ctx); }
};

std::string hex(const unsigned char* digest, unsigned int length) {
  static const char* const digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 15];
  }
  return out;
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  Context c;
  EVP_DigestInit_ex(c.ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(c.ctx, bytes.data(), bytes.size());
  EVP_DigestFinal_ex(c.ctx, digest.data(), &length);
  return hex(digest.data(), length);
}

std::optional<std::string> sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Context c;
  EVP_DigestInit_ex(c.ctx, EVP_sha256(), nullptr);
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0) EVP_DigestUpdate(c.ctx, buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(c.ctx, digest.data(), &length);
  return hex(digest.data(), length);
}

}  // namespace thornwood::exporters
