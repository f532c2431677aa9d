import { describe, expect, it } from 'vitest';
import { gsm7Length, isGsm7, toAscii, toGsm7 } from '../src/text/gsm7.js';

describe('GSM-7 transliteration', () => {
  it.each([
    ['é è à ù É', 'é è à ù É'],
    ['fenêtre', 'fenetre'],
    ['français', 'francais'],
    ['mise en œuvre', 'mise en oeuvre'],
    ['l’Etat', "l'Etat"],
    ['« Tombouctou »', '" Tombouctou "'],
    ['Rien trouvé pour «\u00a0eau\u00a0».', 'Rien trouvé pour "eau".'],
    ['Vouliez-vous dire «\u202feau\u202f» ?', 'Vouliez-vous dire "eau" ?'],
    ['Ségou… – fin', 'Ségou... - fin'],
    ['île, âge, hôpital, sûr, Noël, maïs', 'ile, age, hopital, sur, Noel, mais'],
    ['À Ê Â Î Ô Û Ù', 'A E A I O U U'],
    ['➢ Kidal-Talahandar', '- Kidal-Talahandar'],
    ['N°05-047', 'No05-047'],
    ['emoji 😀', 'emoji '],
    ['sɛnɛ, kɔri, ɲɔgɔn, Maŋ', 'sènè, kòri, nyògòn, Mang'],
    ['SƐNƐ KƆRI', 'SENE KORI'],
    ['Ɲɛnɛ', 'Nyènè'],
  ])('when %j is transliterated, then it becomes %j and is GSM-7', (input, expected) => {
    const out = toGsm7(input);
    expect(out).toBe(expected);
    expect(isGsm7(out)).toBe(true);
  });

  it('when text holds a character outside the alphabet, then isGsm7 says so', () => {
    expect(isGsm7('fenêtre')).toBe(false);
    expect(isGsm7('fenetre [1]')).toBe(true);
  });

  it('when text holds extension characters, then each counts two septets', () => {
    expect(gsm7Length('abc')).toBe(3);
    expect(gsm7Length('[€]')).toBe(6);
  });

  it('when text is made ASCII, then accents are dropped and nothing else remains', () => {
    const out = toAscii('Réconciliation « nationale » – l’Etat, œuvre, sɛnɛ, 😀');
    expect(out).toBe('Reconciliation " nationale " - l\'Etat, oeuvre, sene, ');
    expect(/^[\x20-\x7e\n]*$/.test(out)).toBe(true);
  });
});

describe('Bambara on phones', () => {
  it('when Bambara is written in its official letters, then GSM-7 shows the older spelling, never a ?', () => {
    expect(toGsm7('Sɛnɛ, kɔrɔ, ɲini, ŋaaɲi, Ɛ Ɔ Ɲ Ŋ')).toBe('Sènè, kòrò, nyini, ngaanyi, E O Ny Ng');
    expect(isGsm7(toGsm7('Malidenw cɛ baro ka ladilikan 300'))).toBe(true);
  });
});

describe('Bambara in plain ASCII', () => {
  it('when a USSD gateway takes ASCII only, then ɛ ɔ ɲ ŋ become e o ny ng', () => {
    expect(toAscii('Sɛnɛ kɔrɔ ɲini ŋaaɲi')).toBe('Sene koro nyini ngaanyi');
  });
});
