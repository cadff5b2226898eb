import { describe, expect, it } from 'vitest';
import { signatureMatches, stringToSign } from '../../src/quickblox/signature.js';

// The worked examples of the reference (§2), computed by the QuickBlox SDK and checked with openssl.
const secret = 'test-auth-secret';

describe('the QuickBlox signature', () => {
  it('signs the sorted name=value string of every parameter but the signature', () => {
    const params = { timestamp: '1795424390', nonce: '8801', auth_key: 'test-auth-key', application_id: '42', signature: 'ignored' };
    expect(stringToSign(params)).toBe('application_id=42&auth_key=test-auth-key&nonce=8801&timestamp=1795424390');
    expect(signatureMatches(params, 'bd282e81bb8a68d13cb207a9a186f3dd2d3a1e72', secret)).toBe(true);
  });

  it('flattens nested parameters as parent[child] and signs raw values, punctuation included', () => {
    const params = { application_id: '42', auth_key: 'test-auth-key', nonce: '354', timestamp: '1795424396', user: { password: 'p@ss w+rd&=;1', login: 'alice' } };
    expect(stringToSign(params)).toBe('application_id=42&auth_key=test-auth-key&nonce=354&timestamp=1795424396&user[login]=alice&user[password]=p@ss w+rd&=;1');
    expect(signatureMatches(params, 'b849bba982ebb5789e25edc91cd14c0040a42897', secret)).toBe(true);
  });

  it('accepts HMAC-SHA256 by its 64 digits, and numbers as the SDK writes them', () => {
    const params = { application_id: 42, auth_key: 'test-auth-key', nonce: 8712, timestamp: 1795424396 };
    expect(signatureMatches(params, 'b30a273c75b61b88f11566a34e66fce34de0622a8c5beea34aa808b5844c9234', secret)).toBe(true);
  });

  it('refuses another secret, another value, and signatures of any other length', () => {
    const params = { application_id: '42', auth_key: 'test-auth-key', nonce: '8801', timestamp: '1795424390' };
    expect(signatureMatches(params, 'bd282e81bb8a68d13cb207a9a186f3dd2d3a1e72', 'other-secret')).toBe(false);
    expect(signatureMatches({ ...params, nonce: '8802' }, 'bd282e81bb8a68d13cb207a9a186f3dd2d3a1e72', secret)).toBe(false);
    expect(signatureMatches(params, 'bd282e81bb8a68d13cb207a9a186f3dd2d3a1e', secret)).toBe(false);
    expect(signatureMatches(params, '', secret)).toBe(false);
  });
});
